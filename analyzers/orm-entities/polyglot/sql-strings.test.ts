import { describe, expect, it } from 'vitest';
import { indexPolyglot } from '../../../src/analysis/polyglot/index-source.js';
import type { PolyglotLanguage } from '../../../src/analysis/polyglot/lex.js';
import { sqlStringsWants, sqlStringTables } from './sql-strings.js';

const tables = (files: Record<string, [PolyglotLanguage, string]>) =>
  sqlStringTables(Object.entries(files).map(([file, [language, text]]) => indexPolyglot(file, text, language)));

describe('tables that SQL strings in code create', () => {
  it('reads a C# verbatim string assigned to a command, with the database its Npgsql connection opens', () => {
    const text = [
      'using Npgsql;',
      'public class Worker {',
      '    static NpgsqlConnection Open(string cs) {',
      '        var connection = new NpgsqlConnection(cs);',
      '        connection.Open();',
      '        var command = connection.CreateCommand();',
      '        command.CommandText = @"CREATE TABLE IF NOT EXISTS votes (',
      '                                    id VARCHAR(255) NOT NULL UNIQUE,',
      '                                    vote VARCHAR(255) NOT NULL',
      '                                )";',
      '        command.ExecuteNonQuery();',
      '        return connection;',
      '    }',
      '}',
    ].join('\n');
    expect(sqlStringsWants(text)).toBe(true);
    const found = tables({ 'worker/Program.cs': ['csharp', text] });
    expect(found.entities).toEqual([
      {
        name: 'votes',
        table: 'votes',
        orm: 'sql',
        file: 'worker/Program.cs',
        line: 7,
        fields: [
          { name: 'id', type: 'VARCHAR(255)', unique: true },
          { name: 'vote', type: 'VARCHAR(255)' },
        ],
        relations: [],
      },
    ]);
    expect(found.stores).toEqual([{ tech: 'postgresql', unit: 'worker', evidence: { file: 'worker/Program.cs', line: 4 } }]);
  });

  it('reads Python strings given to execute (joined when written in pieces), keys and foreign keys; a query or an f-string is none', () => {
    const text = [
      'import sqlite3',
      '',
      'def migrate(conn: sqlite3.Connection, table: str) -> None:',
      '    cur = conn.cursor()',
      '    cur.execute(',
      '        "CREATE TABLE IF NOT EXISTS authors ("',
      '        " id INTEGER PRIMARY KEY,"',
      '        " name TEXT NOT NULL)"',
      '    )',
      '    cur.executescript("""',
      '        CREATE TABLE IF NOT EXISTS books (',
      '            id INTEGER PRIMARY KEY,',
      '            author_id INTEGER NOT NULL REFERENCES authors(id),',
      '            title TEXT',
      '        );',
      '        CREATE INDEX IF NOT EXISTS books_author ON books (author_id);',
      '    """)',
      '    cur.execute(f"CREATE TABLE IF NOT EXISTS {table} (id INTEGER)")',
      '    cur.execute("SELECT id FROM books WHERE title = \'create table\'")',
    ].join('\n');
    const found = tables({ 'library/db.py': ['python', text] });
    expect(found.entities.map((e) => `${e.table}:${e.line}:${e.fields.map((f) => `${f.name}${f.id ? '!' : ''}${f.nullable ? '?' : ''}`).join(',')}`)).toEqual([
      'authors:5:id!,name',
      'books:11:id!,author_id,title?',
    ]);
    expect(found.entities[1]!.relations).toEqual([{ name: 'author_id', table: 'authors', cardinality: 'many-to-one', foreignKey: 'author_id' }]);
    expect(found.stores).toEqual([{ tech: 'sqlite', unit: 'library', evidence: { file: 'library/db.py', line: 1 } }]);
  });

  it('reads a Java string passed to JdbcTemplate, the database named by a JDBC URL of the file; a file without one names none', () => {
    const found = tables({
      'audit/src/main/java/acme/AuditSchema.java': [
        'java',
        [
          'package acme;',
          'class AuditSchema {',
          '  void create(JdbcTemplate jdbc) {',
          '    jdbc.execute("create table if not exists audit_log (id bigint primary key, action varchar(40) not null)");',
          '  }',
          '}',
        ].join('\n'),
      ],
      'audit/src/main/java/acme/Db.java': ['java', 'class Db { DataSource ds = DataSourceBuilder.url("jdbc:mysql://db/audit").build(); }'],
    });
    expect(found.entities.map((e) => e.table)).toEqual(['audit_log']);
    // The URL is in another file: this file opens no database itself.
    expect(found.stores).toEqual([]);
    expect(sqlStringsWants('String s = "SELECT * FROM users"; // create a table later')).toBe(false);
  });
});
