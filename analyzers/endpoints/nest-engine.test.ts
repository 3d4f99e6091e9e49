import { afterAll, describe, expect, it } from 'vitest';
import { analyseRepo, removeTemps, tempRepo } from '../../test/helpers.js';

afterAll(removeTemps);

const pkg = (name: string, deps: Record<string, string> = {}) =>
  JSON.stringify({ name, version: '1.0.0', dependencies: { '@nestjs/common': '^10.0.0', '@nestjs/core': '^10.0.0', ...deps } });

describe('endpoints: NestJS on the engine', () => {
  it('follows forwardRef(() => X) written in a one-line imports array to the controllers of the application that serves a library', async () => {
    const root = tempRepo('nest-forwardref', {
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }),
      'apps/server/package.json': pkg('@m/server', { '@m/users': '*', '@m/auth': '*' }),
      'apps/server/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix('api');
  await app.listen(3000);
}
bootstrap();
`,
      'apps/server/src/app.module.ts': `import { Module } from '@nestjs/common';
import { AuthModule } from '@m/auth';
@Module({ imports: [AuthModule] })
export class AppModule {}
`,
      'libs/auth/package.json': pkg('@m/auth', { '@m/users': '*' }),
      'libs/auth/src/index.ts': `import { Module, forwardRef } from '@nestjs/common';
import { UsersModule } from '@m/users';
@Module({ imports: [forwardRef(() => UsersModule), forwardRef(() => UsersModule)] })
export class AuthModule {}
`,
      'libs/users/package.json': pkg('@m/users'),
      'libs/users/src/index.ts': `export * from './users.module';
`,
      'libs/users/src/users.module.ts': `import { Module } from '@nestjs/common';
import { UsersController } from './users.controller';
@Module({ controllers: [UsersController] })
export class UsersModule {}
`,
      'libs/users/src/users.controller.ts': `import { Controller, Get, Param } from '@nestjs/common';
const BASE = 'users';
@Controller(BASE)
export class UsersController {
  @Get(':id')
  one(@Param('id') id: string) {
    return id;
  }
}
`,
    });
    const model = await analyseRepo(root);
    const e = model.endpoints.find((x) => x.name === 'GET /api/users/:id');
    expect(e?.component).toBe(model.components.find((c) => c.name === '@m/server')?.id);
    expect(e?.handler).toBe('UsersController.one');
    expect(e?.details?.routeFile).toBe('libs/users/src/users.controller.ts');
  });

  it('reads a custom decorator written as a function of its arguments: the roles it is given and the guards it applies', async () => {
    const root = tempRepo('nest-custom-decorator', {
      'package.json': pkg('api'),
      'src/main.ts': `import { NestFactory } from '@nestjs/core';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(3000);
}
bootstrap();
`,
      'src/app.module.ts': `import { Module } from '@nestjs/common';
import { ReportsController } from './reports.controller';
@Module({ controllers: [ReportsController] })
export class AppModule {}
`,
      'src/auth/auth.decorator.ts': `import { applyDecorators, SetMetadata, UseGuards } from '@nestjs/common';
import { JwtAuthGuard } from './jwt.guard';
export const Roles = (...roles: string[]) => SetMetadata('roles', roles);
export const Auth = (role: string) => applyDecorators(Roles(role), UseGuards(JwtAuthGuard));
`,
      'src/auth/jwt.guard.ts': `export class JwtAuthGuard {}
`,
      'src/reports.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { Auth } from './auth/auth.decorator';
enum Role { Auditor = 'auditor' }
@Controller('reports')
export class ReportsController {
  @Auth(Role.Auditor)
  @Get()
  list() {
    return [];
  }
  @Get('public')
  open() {
    return [];
  }
}
`,
    });
    const model = await analyseRepo(root);
    const list = model.endpoints.find((e) => e.name === 'GET /reports');
    expect(list?.auth).toEqual({ required: true, mechanisms: ['@Auth', 'JwtAuthGuard'] });
    expect(list?.details?.roles).toEqual(['auditor']);
    expect(model.endpoints.find((e) => e.name === 'GET /reports/public')?.auth?.required).toBe(false);
  });
});
