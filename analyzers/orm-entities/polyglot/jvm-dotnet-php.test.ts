/**
 * Entities and databases of Java/Kotlin (JPA, Spring Data), C# (EF Core) and PHP (Laravel) on the
 * polyglot index, with the database each unit's configuration or build file names.
 */
import { describe, expect, it } from 'vitest';
import type { AnalyzerContext } from '../../../src/analyzer/context.js';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import { polyglotLanguageOf } from '../../../src/analysis/polyglot/lex.js';
import { dotnetFound } from './dotnet.js';
import { jvmFound } from './jvm.js';
import type { PolyFound } from './types.js';
import { phpFound } from './php.js';

const fakeCtx = (files: Record<string, string>): AnalyzerContext =>
  ({
    files: Object.keys(files),
    read: (f: string) => files[f],
    filesMatching: (t: RegExp | ((f: string) => boolean)) => Object.keys(files).filter((f) => (typeof t === 'function' ? t(f) : t.test(f))),
    isSetAside: () => false,
  }) as unknown as AnalyzerContext;

function run(found: typeof jvmFound, files: Record<string, string>): PolyFound {
  const indexes = Object.entries(files)
    .filter(([f]) => polyglotLanguageOf(f))
    .map(([f, text]) => indexPolyglot(f, text, polyglotLanguageOf(f)!));
  return found(indexes, fakeCtx(files));
}
const tables = (f: PolyFound): string[] => f.entities.map((e) => `${e.name}→${e.table} ${e.orm}`).sort();
const stores = (f: PolyFound): string[] =>
  f.stores.map((s) => `${s.tech}@${s.unit}${s.chosen === false ? ' (not default)' : ''} ${s.evidence.file}:${s.evidence.line}`).sort();

describe('Java and Kotlin', () => {
  it('JPA entities: @Table name, default snake-case table, @Entity(name), join tables; Spring Data @Table classes in Kotlin', () => {
    const f = run(jvmFound, {
      'orders/pom.xml': '<project><dependencies>\n<dependency>\n<artifactId>postgresql</artifactId>\n</dependency>\n</dependencies></project>',
      'orders/src/main/java/a/PurchaseOrder.java': [
        'import jakarta.persistence.*;',
        '@Entity',
        '@Table(name = "purchase_orders")',
        'public class PurchaseOrder {',
        '  @Id private Long id;',
        '  @ManyToMany',
        '  @JoinTable(name = "order_tags", joinColumns = @JoinColumn(name = "order_id"))',
        '  private Set<Tag> tags;',
        '}',
      ].join('\n'),
      'orders/src/main/java/a/OrderLine.java': 'import jakarta.persistence.*;\n@Entity\npublic class OrderLine {\n  @Id Long id;\n}',
      'orders/src/main/java/a/Tag.java': 'import jakarta.persistence.*;\n@Entity(name = "Label")\npublic class Tag {\n  @Id Long id;\n}',
      // Not an entity: a JPA @Table without @Entity, and a DTO.
      'orders/src/main/java/a/Dto.java': 'import jakarta.persistence.Table;\n@Table(name = "nothing")\npublic class Dto {}',
      'users/build.gradle.kts': 'dependencies {\n    implementation("io.r2dbc:r2dbc-h2:1.0.0")\n    testImplementation("org.postgresql:postgresql:42.7.0")\n}',
      'users/src/main/kotlin/u/User.kt': [
        'import org.springframework.data.annotation.Id',
        'import org.springframework.data.relational.core.mapping.Table',
        '@Table("user_info")',
        'data class User(@Id val id: Long? = null, var name: String)',
      ].join('\n'),
    });
    expect(tables(f)).toEqual([
      'OrderLine→order_line JPA',
      'PurchaseOrder→purchase_orders JPA',
      'Tag→label JPA',
      'User→user_info Spring Data',
      'order_tags→order_tags JPA',
    ]);
    const order = f.entities.find((e) => e.name === 'PurchaseOrder')!;
    expect(order.fields).toEqual([{ name: 'id', type: 'Long', id: true }]);
    expect(order.relations).toEqual([{ name: 'tags', table: 'label', cardinality: 'many-to-many' }]);
    expect(f.entities.find((e) => e.name === 'User')!.fields).toEqual([
      { name: 'id', type: 'Long', id: true },
      { name: 'name', type: 'String' },
    ]);
    expect(stores(f)).toEqual(['h2@users users/build.gradle.kts:2', 'postgresql@orders orders/pom.xml:3']);
  });

  it('the database: a default-profile URL first; else the strongest scope of drivers, an embedded one holding the entities', () => {
    const f = run(jvmFound, {
      'a/pom.xml': [
        '<project><dependencies>',
        '<dependency>\n<artifactId>hsqldb</artifactId>\n<scope>runtime</scope>\n</dependency>',
        '<dependency>\n<artifactId>mysql-connector-j</artifactId>\n<scope>runtime</scope>\n</dependency>',
        '</dependencies></project>',
      ].join('\n'),
      'a/src/main/java/A.java': 'import jakarta.persistence.*;\n@Entity public class A {}',
      'b/pom.xml': [
        '<project><dependencies>',
        '<dependency>\n<artifactId>postgresql</artifactId>\n</dependency>',
        '<dependency>\n<artifactId>h2</artifactId>\n<scope>runtime</scope>\n</dependency>',
        '</dependencies></project>',
      ].join('\n'),
      'c/pom.xml': '<project><dependencies>\n<dependency>\n<artifactId>h2</artifactId>\n</dependency>\n</dependencies></project>',
      'c/src/main/resources/application.yml': 'spring:\n  datasource:\n    # url: jdbc:h2:mem:x\n    url: ${DB_URL:jdbc:mysql://db:3306/c}\n',
      'c/src/main/resources/application-dev.yml': 'spring.datasource.url: jdbc:h2:mem:dev\n',
    });
    expect(stores(f)).toEqual([
      'hsqldb@a a/pom.xml:3',
      'mysql@a (not default) a/pom.xml:7',
      'mysql@c c/src/main/resources/application.yml:4',
      'postgresql@b b/pom.xml:3',
    ]);
    expect(f.stores.find((s) => s.unit === 'c')!.envVars).toEqual(['DB_URL']);
  });
});

describe('C#', () => {
  it('EF Core: DbSet properties, [Table] on the class, the provider call; a run-time choice settled by its default constant', () => {
    const f = run(dotnetFound, {
      'src/Api/Api.csproj': '<Project>\n  <PackageReference Include="Microsoft.EntityFrameworkCore.SqlServer" />\n</Project>',
      'src/Api/Data/ShopContext.cs': [
        'using Microsoft.EntityFrameworkCore;',
        'public class ShopContext : DbContext {',
        '  public DbSet<Article> Articles { get; set; } = null!;',
        '  public DbSet<Domain.Person> People => Set<Domain.Person>();',
        '  public DbSet<Tag> Tags { get; init; }',
        '}',
      ].join('\n'),
      'src/Api/Domain/Article.cs': [
        'namespace Api.Domain;',
        'public class Article',
        '{',
        '  public int Id { get; set; }',
        '  public string Title { get; set; } = "";',
        '  [NotMapped] public string Preview => Title;',
        '  public Person? Author { get; set; }',
        '  public ICollection<Tag> Tags { get; set; } = new List<Tag>();',
        '  public string Summary() { return Title; }',
        '}',
      ].join('\n'),
      'src/Api/Domain/Person.cs': 'namespace Api.Domain;\n[Table("people_v2")]\npublic class Person { public int Id { get; set; } }',
      'src/Api/Program.cs': [
        'var defaultDatabaseProvider = "sqlite";',
        'var provider = builder.Configuration["Provider"] ?? defaultDatabaseProvider;',
        'if (provider == "sqlite") builder.Services.AddDbContext<ShopContext>(o => o.UseSqlite(cs));',
        'else builder.Services.AddDbContext<ShopContext>(o => o.UseSqlServer(cs));',
      ].join('\n'),
      'src/Worker/Worker.csproj':
        '<Project>\n  <ItemGroup>\n    <PackageReference Include="Npgsql.EntityFrameworkCore.PostgreSQL" Version="8.0.0" />\n  </ItemGroup>\n</Project>',
    });
    expect(tables(f)).toEqual(['Article→Articles EF Core', 'Person→people_v2 EF Core', 'Tag→Tags EF Core']);
    const article = f.entities.find((e) => e.name === 'Article')!;
    expect([article.file, article.line, article.more]).toEqual(['src/Api/Domain/Article.cs', 2, [{ file: 'src/Api/Data/ShopContext.cs', line: 3 }]]);
    expect(article.fields).toEqual([
      { name: 'Id', type: 'int', id: true },
      { name: 'Title', type: 'string' },
    ]);
    expect(article.relations).toEqual([
      { name: 'Author', table: 'people_v2', cardinality: 'many-to-one' },
      { name: 'Tags', table: 'Tags', cardinality: 'one-to-many' },
    ]);
    // Tag's class is not in the repository: the DbSet is its evidence.
    expect(f.entities.find((e) => e.name === 'Tag')!.file).toBe('src/Api/Data/ShopContext.cs');
    expect(stores(f)).toEqual(['postgresql@src/Worker src/Worker/Worker.csproj:3', 'sqlite@src/Api src/Api/Program.cs:3']);
  });
});

describe('PHP', () => {
  it('Laravel: migrations in order (create, then table adds columns), models by $table or the pluralised class; DB_CONNECTION', () => {
    const migration = (body: string) =>
      `<?php\nuse Illuminate\\Support\\Facades\\Schema;\nreturn new class extends Migration\n{\n    public function up(): void\n    {\n${body}\n    }\n    public function down(): void\n    {\n        Schema::dropIfExists('gone');\n    }\n};`;
    const f = run(phpFound, {
      'composer.json': '{}',
      '.env.example': 'APP_NAME=Shop\nDB_CONNECTION=pgsql\n',
      'config/database.php': "<?php\nreturn [\n    'default' => env('DB_CONNECTION', 'mysql'),\n];",
      'database/migrations/2024_01_01_000000_create_categories_table.php': migration(
        "        Schema::create('categories', function (Blueprint $table) {\n            $table->id();\n            $table->string('slug')->unique();\n            $table->timestamps();\n        });",
      ),
      'database/migrations/2024_01_02_000000_create_items_table.php': migration(
        "        Schema::create('stock_items', function (Blueprint $table) {\n            $table->id();\n            $table->foreignId('category_id')->constrained()->cascadeOnDelete();\n            $table->string('note')->nullable();\n        });",
      ),
      'database/migrations/2024_02_01_000000_add_price.php': migration(
        "        Schema::table('stock_items', function (Blueprint $table) {\n            $table->decimal('price', 8, 2);\n        });",
      ),
      'app/Models/Category.php': '<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Category extends Model\n{\n}',
      'app/Models/Item.php':
        "<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Item extends Model\n{\n    protected $table = 'stock_items';\n}",
      'app/Models/AuditEntry.php': '<?php\nnamespace App\\Models;\nuse Illuminate\\Database\\Eloquent\\Model;\nclass AuditEntry extends Model {}',
    });
    expect(tables(f)).toEqual(['AuditEntry→audit_entries Eloquent', 'Category→categories Eloquent', 'Item→stock_items Eloquent']);
    const items = f.entities.find((e) => e.name === 'Item')!;
    expect(items.fields).toEqual([
      { name: 'id', type: 'bigIncrements', id: true },
      { name: 'category_id', type: 'foreignId' },
      { name: 'note', type: 'string', nullable: true },
      { name: 'price', type: 'decimal' },
    ]);
    expect(items.relations).toEqual([{ name: 'category_id', table: 'categories', cardinality: 'many-to-one', foreignKey: 'category_id' }]);
    expect(f.entities.find((e) => e.name === 'Category')!.fields.map((x) => x.name)).toEqual(['id', 'slug', 'created_at', 'updated_at']);
    expect(stores(f)).toEqual(['postgresql@ .env.example:2']);
  });

  it("Laravel without .env.example: config/database.php's default", () => {
    const f = run(phpFound, {
      'shop/composer.json': '{}',
      'shop/config/database.php': "<?php\nreturn [\n    'default' => env('DB_CONNECTION', 'sqlite'),\n];",
      'shop/app/Models/Post.php': '<?php\nuse Illuminate\\Database\\Eloquent\\Model;\nclass Post extends Model {}',
    });
    expect(stores(f)).toEqual(['sqlite@shop shop/config/database.php:3']);
  });
});
