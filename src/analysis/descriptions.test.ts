import { describe, expect, it } from 'vitest';
import { MAX_DESCRIPTION, meaningfulDescription, plainInline, readmeDescription, readmeParagraph } from './descriptions.js';

describe('meaningfulDescription', () => {
  it('keeps real text and drops placeholders, the name again and generator boilerplate', () => {
    expect(meaningfulDescription('Email client backend with IMAP/POP sync and SMTP sending', ['backend'])).toBe(
      'Email client backend with IMAP/POP sync and SMTP sending',
    );
    for (const d of ['', '  ', 'description', 'TODO', 'TBD.', 'Work in progress', 'Your description here'])
      expect(meaningfulDescription(d, ['x'])).toBeUndefined();
    expect(meaningfulDescription(42, ['x'])).toBeUndefined();
    // The name again, however it is written.
    expect(meaningfulDescription('Counterscale Server', ['@counterscale/server', 'server'])).toBeUndefined();
    expect(meaningfulDescription('orders-api', ['@acme/orders-api'])).toBeUndefined();
    expect(meaningfulDescription('Orders API for the shop', ['@acme/orders-api'])).toBe('Orders API for the shop');
    // What generators write.
    expect(meaningfulDescription('Serverless aws-nodejs-typescript template', ['import-service'])).toBeUndefined();
    expect(meaningfulDescription('This library was generated with Nx.', ['shared-domain'])).toBeUndefined();
    expect(
      meaningfulDescription('This project has been generated using the aws-nodejs-typescript template from the Serverless framework.', ['x']),
    ).toBeUndefined();
  });
  it('caps long text at a sentence end, else at a word', () => {
    const sentence = 'Keeps the catalogue of products and their prices for the shop. ';
    const long = sentence.repeat(10);
    const capped = meaningfulDescription(long, ['x'])!;
    expect(capped.length).toBeLessThanOrEqual(MAX_DESCRIPTION);
    expect(capped.endsWith('shop.')).toBe(true);
    const words = meaningfulDescription('word '.repeat(200), ['x'])!;
    expect(words.length).toBeLessThanOrEqual(MAX_DESCRIPTION + 1);
    expect(words.endsWith('word…')).toBe(true);
  });
});

describe('plainInline', () => {
  it('reads links, code, emphasis, HTML and entities as plain text', () => {
    expect(plainInline('Client-side tracking for [Counterscale](https://counterscale.dev).')).toBe('Client-side tracking for Counterscale.');
    expect(plainInline('Serves **orders** over `gRPC` &amp; _HTTP_ <br/> for snake_case users')).toBe('Serves orders over gRPC & HTTP for snake_case users');
    expect(plainInline('[![build](https://ci/badge.svg)](https://ci) Badges go')).toBe('Badges go');
    expect(plainInline('See <https://example.com> and [ref][1]')).toBe('See https://example.com and ref');
    expect(plainInline('an \\* escaped star, an unclosed [bracket and a < b')).toBe('an * escaped star, an unclosed [bracket and a < b');
  });
  it('keeps unclosed brackets and backticks as text', () => {
    expect(plainInline(`${'['.repeat(2000)}x`)).toBe(`${'['.repeat(2000)}x`);
    expect(plainInline('a ` b')).toBe('a ` b');
  });
});

describe('readmeParagraph', () => {
  it('takes the first paragraph under the title, past badges, HTML and tables', () => {
    const md = [
      '# Checkout Service',
      '',
      '[![CI](https://ci/badge.svg)](https://ci)',
      '<p align="center">',
      '  A centred tagline in HTML',
      '</p>',
      '',
      '| Language | Persistence |',
      '| -------- | ----------- |',
      '| Node     | Redis       |',
      '',
      'This service provides an API for storing customer data',
      'during the checkout process. Data is stored in Redis.',
      '',
      '## Configuration',
      '',
      'Not this.',
    ].join('\n');
    expect(readmeParagraph(md)).toEqual({
      text: 'This service provides an API for storing customer data during the checkout process. Data is stored in Redis.',
      line: 12,
    });
  });
  it('reads under an Overview heading; stops at instructions, lists and code', () => {
    expect(readmeParagraph('# Voice Agent\n\n## Overview\n\nThe agent takes claims by voice.\n')?.text).toBe('The agent takes claims by voice.');
    expect(readmeParagraph('# Orders\n\n## Installation\n\nRun npm install first.\n')).toBeUndefined();
    expect(readmeParagraph('## Installation\n\nRun npm install first.\n')).toBeUndefined();
    expect(readmeParagraph('# Orders\n\n- a list item\n')).toBeUndefined();
    expect(readmeParagraph('# Orders\n\n```bash\nnpm start\n```\n\nLater text.\n')).toBeUndefined();
    // A paragraph before any heading counts; a setext title too.
    expect(readmeParagraph('Sends notifications to customers.\n\n# Title\n')?.text).toBe('Sends notifications to customers.');
    expect(readmeParagraph('Orders\n======\n\nTakes orders from the shop.\n')).toEqual({ text: 'Takes orders from the shop.', line: 4 });
    // Front matter and a GitHub alert are passed over; a tagline in a blockquote is read.
    expect(readmeParagraph('---\ntitle: x\n---\n# T\n\n> [!NOTE]\n> Experimental.\n\n> Ships parcels to customers.\n')?.text).toBe(
      'Ships parcels to customers.',
    );
  });
});

describe('readmeDescription', () => {
  it('drops generator boilerplate, instructions and text too short to say anything', () => {
    const nx = '# shared-domain\n\nThis library was generated with [Nx](https://nx.dev).\n\n## Running unit tests\n';
    expect(readmeDescription(nx, ['shared-domain'])).toBeUndefined();
    const cra =
      'copied from https://github.com/a/b\n\n# Getting Started with Create React App\n\nThis project was bootstrapped with [Create React App](https://github.com/facebook/create-react-app).\n';
    expect(readmeDescription(cra, ['frontend'])).toBeUndefined();
    const nest = [
      '<p align="center">',
      '  <a href="http://nestjs.com/" target="blank"><img src="https://nestjs.com/img/logo-small.svg" width="120" alt="Nest Logo" /></a>',
      '</p>',
      '',
      '[circleci-image]: https://img.shields.io/circleci/build/github/nestjs/nest/master?token=abc',
      '',
      '  <p align="center">A progressive <a href="http://nodejs.org" target="_blank">Node.js</a> framework for building efficient and scalable server-side applications.</p>',
      '',
      '## Description',
      '',
      '[Nest](https://github.com/nestjs/nest) framework TypeScript starter repository.',
      '',
      '## Installation',
    ].join('\n');
    expect(readmeDescription(nest, ['api'])).toBeUndefined();
    expect(readmeDescription('# Tool\n\nTo build the library, run the following command:\n', ['tool'])).toBeUndefined();
    expect(readmeDescription('# Tool\n\nSee the docs.\n', ['tool'])).toBeUndefined();
    expect(readmeDescription('# Tracker\n\nClient-side page view tracking library for [Counterscale](https://counterscale.dev).\n', ['tracker'])).toEqual({
      text: 'Client-side page view tracking library for Counterscale.',
      line: 3,
    });
  });
});
