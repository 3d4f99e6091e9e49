import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import { goFound } from './go.js';
import { pythonFound } from './python.js';

/** The few context reads the rules make: the repository's files and their text. */
function ctxOf(files: Record<string, string>): AnalyzerContext {
  return { files: Object.keys(files), read: (f: string) => files[f] } as unknown as AnalyzerContext;
}

function python(files: Record<string, string>) {
  const py = Object.entries(files).filter(([f]) => f.endsWith('.py'));
  return pythonFound(
    py.map(([f, text]) => indexPolyglot(f, text, 'python')),
    ctxOf(files),
  );
}

function go(files: Record<string, string>) {
  const src = Object.entries(files).filter(([f]) => f.endsWith('.go'));
  return goFound(
    src.map(([f, text]) => indexPolyglot(f, text, 'go')),
    ctxOf(files),
  );
}

describe('Python entities', () => {
  it('Django: app_model tables, Meta.db_table, abstract bases giving their fields, foreign keys to models; DATABASES engine', () => {
    const found = python({
      'shop/manage.py': '',
      'shop/core/models.py': [
        'from django.db import models',
        'class Stamped(models.Model):',
        '    created = models.DateTimeField(auto_now_add=True)',
        '    class Meta:',
        '        abstract = True',
      ].join('\n'),
      'shop/orders/models.py': [
        'from django.db import models',
        'from core.models import Stamped',
        'class Order(Stamped):',
        '    number = models.CharField(max_length=20, unique=True)',
        'class Line(models.Model):',
        '    order = models.ForeignKey(Order, on_delete=models.CASCADE)',
        '    class Meta:',
        '        db_table = "order_lines"',
      ].join('\n'),
      'shop/shop/settings.py': "DATABASES = {\n    'default': {'ENGINE': 'django.db.backends.postgresql_psycopg2', 'NAME': 'shop'}\n}",
    });
    expect(found.entities.map((e) => `${e.name}:${e.table}:${e.orm}`).sort()).toEqual(['Line:order_lines:Django', 'Order:orders_order:Django']);
    const order = found.entities.find((e) => e.name === 'Order')!;
    expect(order.fields).toEqual([
      { name: 'number', type: 'CharField', unique: true },
      { name: 'created', type: 'DateTimeField' },
    ]);
    expect(found.entities.find((e) => e.name === 'Line')!.relations).toEqual([
      { name: 'order', table: 'orders_order', cardinality: 'many-to-one', foreignKey: 'order_id' },
    ]);
    expect(found.stores).toEqual([{ tech: 'postgresql', unit: 'shop', evidence: { file: 'shop/shop/settings.py', line: 1 } }]);
  });

  it('SQLAlchemy declarative, Flask-SQLAlchemy, SQLModel table=True and Core Table; database URLs and a driver name', () => {
    const found = python({
      'models.py': [
        'import sqlalchemy as sa',
        'from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column',
        'from sqlmodel import SQLModel, Field',
        'class Base(DeclarativeBase):',
        '    pass',
        'class Mixin:',
        '    pass',
        'class User(Mixin, Base):',
        '    __tablename__ = "users"',
        '    id: Mapped[int] = mapped_column(primary_key=True)',
        '    email: Mapped[str] = mapped_column(sa.String(200), unique=True)',
        'class Hero(SQLModel, table=True):',
        '    id: int | None = Field(default=None, primary_key=True)',
        '    team_id: int = Field(foreign_key="team.id")',
        'class HeroCreate(SQLModel):',
        '    name: str',
        'class Post(db.Model):',
        '    id = db.Column(db.Integer, primary_key=True)',
        'tags = sa.Table("post_tags", metadata, sa.Column("post_id", sa.Integer, sa.ForeignKey("post.id")))',
      ].join('\n'),
      'config.py': 'URL = "sqlite:///app.db"\ndef url(driver="postgresql+asyncpg"):\n    return driver',
    });
    expect(found.entities.map((e) => `${e.name}:${e.table}:${e.orm}`)).toEqual([
      'User:users:SQLAlchemy',
      'Hero:hero:SQLModel',
      'Post:post:Flask-SQLAlchemy',
      'post_tags:post_tags:SQLAlchemy',
    ]);
    expect(found.entities[0]!.fields).toEqual([
      { name: 'id', type: 'unknown', id: true },
      { name: 'email', type: 'String', unique: true },
    ]);
    expect(found.entities[1]!.relations).toEqual([{ name: 'team_id', table: 'team', cardinality: 'many-to-one', foreignKey: 'team_id' }]);
    expect(found.entities[3]!.relations).toEqual([{ name: 'post_id', table: 'post', cardinality: 'many-to-one', foreignKey: 'post_id' }]);
    expect(found.stores.map((s) => `${s.tech}@${s.evidence.file}:${s.evidence.line}`)).toEqual(['sqlite@config.py:1', 'postgresql@config.py:2']);
  });
});

describe('Go entities', () => {
  it('gorm: migrated structs (grouped type declarations too), gorm.Model, TableName, tags and relations; the driver gorm opens', () => {
    const found = go({
      'svc/go.mod': 'module x',
      'svc/model/model.go': [
        'package model',
        'import "gorm.io/gorm"',
        'type (',
        '\tAsset struct {',
        '\t\tID string `gorm:"primary_key"`',
        '\t}',
        '\tCamera struct {',
        '\t\tAsset',
        '\t\tOwnerID uint',
        '\t\tOwner   Owner',
        '\t\tLenses  []Lens',
        '\t\tMeta    Dto',
        '\t}',
        '\tLens struct {',
        '\t\tSerial string `gorm:"primaryKey"`',
        '\t}',
        ')',
        'type Owner struct {',
        '\tgorm.Model',
        '\tEmail string `gorm:"column:mail;uniqueIndex"`',
        '\tCameras []Camera',
        '}',
        'type Dto struct {',
        '\tName string',
        '}',
        'func (Owner) TableName() string {',
        '\treturn "people"',
        '}',
      ].join('\n'),
      'svc/db/db.go': [
        'package db',
        'import (',
        '\t"gorm.io/driver/postgres"',
        '\t"gorm.io/gorm"',
        ')',
        'func Open(dsn string) {',
        '\tdb, _ := gorm.Open(postgres.Open(dsn), &gorm.Config{})',
        '\tdb.AutoMigrate(model.Camera{})',
        '}',
      ].join('\n'),
    });
    // Lens: held by a migrated model and keyed by a gorm tag; Dto: held too, but nothing says it is a table.
    expect(found.entities.map((e) => `${e.name}:${e.table}:${e.orm}`)).toEqual(['Camera:cameras:GORM', 'Lens:lenses:GORM', 'Owner:people:GORM']);
    expect(found.entities[0]!.fields).toEqual([
      { name: 'id', type: 'string', id: true },
      { name: 'owner_id', type: 'uint' },
      { name: 'meta', type: 'Dto' },
    ]);
    expect(found.entities[0]!.relations).toEqual([
      { name: 'owner', table: 'people', cardinality: 'many-to-one', foreignKey: 'owner_id' },
      { name: 'lenses', table: 'lenses', cardinality: 'one-to-many' },
    ]);
    expect(found.entities[2]!.fields.map((f) => f.name)).toEqual(['id', 'created_at', 'updated_at', 'deleted_at', 'mail']);
    expect(found.entities[2]!.relations).toEqual([{ name: 'cameras', table: 'cameras', cardinality: 'one-to-many' }]);
    expect(found.stores).toEqual([{ tech: 'postgresql', unit: 'svc', evidence: { file: 'svc/db/db.go', line: 7 } }]);
  });

  it('bun: BaseModel table tags and column names; sql.Open driver names, CockroachDB named by the opening function', () => {
    const found = go({
      'store.go': [
        'package store',
        'import (',
        '\t"database/sql"',
        '\t"github.com/uptrace/bun"',
        '\t"github.com/uptrace/bun/dialect/pgdialect"',
        ')',
        'type Token struct {',
        '\tbun.BaseModel `bun:"table:auth_tokens"`',
        '\tID int `bun:"id,pk"`',
        '\tToken string `bun:",unique"`',
        '}',
        'func open() {',
        '\tdb := bun.NewDB(sqldb, pgdialect.New())',
        '\tsql.Open("sqlite3", "x.db")',
        '}',
        'func NewCockroachDB(url string) {',
        '\tsql.Open("postgres", url)',
        '}',
      ].join('\n'),
    });
    expect(found.entities.map((e) => `${e.name}:${e.table}:${e.orm}`)).toEqual(['Token:auth_tokens:Bun']);
    expect(found.entities[0]!.fields).toEqual([
      { name: 'id', type: 'int', id: true },
      { name: 'token', type: 'string', unique: true },
    ]);
    // CockroachDB through PostgreSQL's driver, as the opening function names it.
    expect(found.stores.map((s) => s.tech)).toEqual(['postgresql', 'sqlite', 'cockroachdb']);
  });
});
