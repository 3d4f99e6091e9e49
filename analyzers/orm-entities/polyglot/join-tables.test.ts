import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import { goFound } from './go.js';
import { jvmFound } from './jvm.js';

function go(files: Record<string, string>) {
  const ctx = { files: Object.keys(files), read: (f: string) => files[f] } as unknown as AnalyzerContext;
  const src = Object.entries(files).filter(([f]) => f.endsWith('.go'));
  return goFound(
    src.map(([f, text]) => indexPolyglot(f, text, 'go')),
    ctx,
  );
}

describe('gorm many2many join tables', () => {
  it('makes the join table a many2many tag names an entity, once, keyed by both models, unless a model maps it', () => {
    const found = go({
      'go.mod': 'module blog',
      'articles/models.go': [
        'package articles',
        'import "gorm.io/gorm"',
        'type Article struct {',
        '\tgorm.Model',
        '\tTitle string',
        '\tTags  []Tag `gorm:"many2many:article_tags;"`',
        '\tEditors []Editor `gorm:"many2many:article_editors"`',
        '}',
        'type Tag struct {',
        '\tID    uint   `gorm:"primaryKey"`',
        '\tLabel string `gorm:"uniqueIndex"`',
        '\tArticles []Article `gorm:"many2many:article_tags;"`',
        '}',
        'type Editor struct {',
        '\tgorm.Model',
        '\tName string',
        '}',
        '// The editors join table carries a role: a model of its own maps it.',
        'type ArticleEditor struct {',
        '\tArticleID uint `gorm:"primaryKey"`',
        '\tEditorID  uint `gorm:"primaryKey"`',
        '\tRole      string',
        '}',
        'func (ArticleEditor) TableName() string {',
        '\treturn "article_editors"',
        '}',
        'func Migrate(db *gorm.DB) {',
        '\tdb.AutoMigrate(&Article{}, &Tag{}, &Editor{}, &ArticleEditor{})',
        '}',
      ].join('\n'),
    });
    expect(found.entities.map((e) => `${e.name}:${e.table}:${e.orm}`)).toEqual([
      'Article:articles:GORM',
      'Tag:tags:GORM',
      'Editor:editors:GORM',
      'ArticleEditor:article_editors:GORM',
      'article_tags:article_tags:GORM',
    ]);
    const join = found.entities.find((e) => e.table === 'article_tags')!;
    // Evidence at the tag that declares it (the first of the two sides).
    expect(join.line).toBe(6);
    expect(join.fields).toEqual([
      { name: 'article_id', type: 'uint', id: true },
      { name: 'tag_id', type: 'uint', id: true },
    ]);
    expect(join.relations).toEqual([
      { name: 'article', table: 'articles', cardinality: 'many-to-one', foreignKey: 'article_id' },
      { name: 'tag', table: 'tags', cardinality: 'many-to-one', foreignKey: 'tag_id' },
    ]);
    expect(found.entities[0]!.relations.map((r) => `${r.name} ${r.table} ${r.cardinality}`)).toEqual([
      'tags tags many-to-many',
      'editors editors many-to-many',
    ]);
  });
});

describe('JPA @JoinTable join tables', () => {
  it('keys the join table by the columns joinColumns and inverseJoinColumns name, each a relation to its entity', () => {
    const files: Record<string, string> = {
      'vets/pom.xml': '<project><dependencies>\n<dependency>\n<artifactId>postgresql</artifactId>\n</dependency>\n</dependencies></project>',
      'vets/src/main/java/acme/Vet.java': [
        'import jakarta.persistence.*;',
        '@Entity',
        '@Table(name = "vets")',
        'public class Vet {',
        '  @Id private Integer id;',
        '  @ManyToMany(fetch = FetchType.EAGER)',
        '  @JoinTable(name = "vet_specialties", joinColumns = @JoinColumn(name = "vet_id"),',
        '      inverseJoinColumns = @JoinColumn(name = "specialty_id"))',
        '  private Set<Specialty> specialties;',
        '}',
      ].join('\n'),
      'vets/src/main/java/acme/Specialty.java':
        'import jakarta.persistence.*;\n@Entity\n@Table(name = "specialties")\npublic class Specialty {\n  @Id Integer id;\n}',
    };
    const ctx = {
      files: Object.keys(files),
      read: (f: string) => files[f],
      filesMatching: (p: (f: string) => boolean) => Object.keys(files).filter(p),
      isSetAside: () => false,
    } as unknown as AnalyzerContext;
    const java = Object.entries(files).filter(([f]) => f.endsWith('.java'));
    const found = jvmFound(
      java.map(([f, text]) => indexPolyglot(f, text, 'java')),
      ctx,
    );
    const join = found.entities.find((e) => e.table === 'vet_specialties')!;
    expect(join.line).toBe(7);
    expect(join.fields).toEqual([
      { name: 'vet_id', type: 'Integer', id: true },
      { name: 'specialty_id', type: 'Integer', id: true },
    ]);
    expect(join.relations).toEqual([
      { name: 'vet_id', table: 'vets', cardinality: 'many-to-one', foreignKey: 'vet_id' },
      { name: 'specialty_id', table: 'specialties', cardinality: 'many-to-one', foreignKey: 'specialty_id' },
    ]);
  });
});
