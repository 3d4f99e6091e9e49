import { describe, expect, it } from 'vitest';
import { hclRun } from '../../../test/terraform-hcl.js';

const HCL = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.0.1.0/24"
  availability_zone = "eu-west-1a"
  tags = {
    Name = "app-a"
  }
}

resource "aws_security_group" "internal" {
  name   = "internal"
  vpc_id = aws_vpc.main.id

  ingress {
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}

resource "aws_security_group_rule" "ssh" {
  type              = "ingress"
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = ["0.0.0.0/0"]
  security_group_id = aws_security_group.internal.id
}

resource "aws_vpc_security_group_ingress_rule" "everything" {
  security_group_id = aws_security_group.internal.id
  ip_protocol       = "-1"
  cidr_ipv4         = "0.0.0.0/0"
}

resource "google_compute_firewall" "db" {
  name          = "allow-db"
  network       = "default"
  source_ranges = ["0.0.0.0/0"]

  allow {
    protocol = "tcp"
    ports    = ["5432", "8000-8080"]
  }
}

resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"

  security_rule {
    name                       = "rdp"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "3389"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "https"
    priority                   = 110
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefix      = "Internet"
    destination_address_prefix = "*"
  }

  security_rule {
    name                       = "deny-all"
    priority                   = 4000
    direction                  = "Inbound"
    access                     = "Deny"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_range     = "*"
    source_address_prefix      = "*"
    destination_address_prefix = "*"
  }
}
`;

const run = hclRun('network', HCL);

describe('terraform network rules', () => {
  it('VPC and subnet: CIDR, zone, and the tier from the Name tag', () => {
    expect(run.infra('aws_vpc.main')?.details).toMatchObject({ cidr: '10.0.0.0/16' });
    expect(run.infra('aws_subnet.app')?.details).toMatchObject({ cidr: '10.0.1.0/24', availabilityZone: 'eu-west-1a', subnet: 'private' });
  });

  it('a security group open only to the VPC counts its rules and is no finding', () => {
    expect(run.infra('aws_security_group.internal')?.details).toMatchObject({ ingressRules: 1 });
    expect(run.m.security.filter((s) => s.details?.resource === 'aws_security_group.internal')).toEqual([]);
  });

  it('a separate rule opening SSH to the internet is an administration-port finding on the CIDR line', () => {
    expect(run.finding('ingress-open-admin-port', 'aws_security_group_rule.ssh')).toMatchObject({
      severity: 'high',
      details: { ports: ['22 (SSH)'] },
      evidence: [{ file: 'infra/network.tf', line: run.lineOf('cidr_blocks       = ["0.0.0.0/0"]') }],
    });
  });

  it('an ingress rule for every protocol from anywhere is an every-port finding', () => {
    expect(run.finding('ingress-open-all-ports', 'aws_vpc_security_group_ingress_rule.everything')?.severity).toBe('high');
  });

  it('a Google firewall open to the internet on PostgreSQL is a database-port finding; the port range holds none', () => {
    expect(run.finding('ingress-open-database-port', 'google_compute_firewall.db')).toMatchObject({ details: { ports: ['5432 (PostgreSQL)'] } });
  });

  it('an Azure NSG: only inbound Allow rules count; RDP from anywhere is a finding, HTTPS from the Internet is not', () => {
    expect(run.finding('ingress-open-admin-port', 'azurerm_network_security_group.web')).toMatchObject({ details: { ports: ['3389 (RDP)'] } });
    expect(run.finding('ingress-open-all-ports', 'azurerm_network_security_group.web')).toBeUndefined();
  });
});
