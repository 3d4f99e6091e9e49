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

  it('serves a dynamic module’s controllers, a library controller in every application that imports it, no HTTP from a microservice, a prefix from .env', async () => {
    const root = tempRepo('nest-apps', {
      'package.json': JSON.stringify({ name: 'mono', private: true, workspaces: ['apps/*', 'libs/*'] }),
      'apps/api/package.json': pkg('@m/api', { '@m/health': '*', '@nestjs/config': '^3.0.0', '@nestjs/websockets': '^10.0.0', 'socket.io': '^4.0.0' }),
      'apps/api/.env.example': 'PORT=3000\n# the routes’ prefix\nAPI_PREFIX=api\n',
      'apps/api/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { ConfigService } from '@nestjs/config';
import { AppModule } from './app.module';
async function bootstrap() {
  const app = await NestFactory.create(AppModule.register());
  const config = app.get(ConfigService);
  const prefix = config.get<string>('API_PREFIX');
  app.setGlobalPrefix(prefix);
  await app.listen(3000);
}
bootstrap();
`,
      'apps/api/src/app.module.ts': `import { DynamicModule, Module } from '@nestjs/common';
import { HealthModule } from '@m/health';
import { AppController } from './app.controller';
import { ChatGateway } from './chat.gateway';
@Module({})
export class AppModule {
  static register(): DynamicModule {
    return { module: AppModule, controllers: [AppController], providers: [ChatGateway], imports: [HealthModule] };
  }
}
`,
      'apps/api/src/app.controller.ts': `import { Controller, Get } from '@nestjs/common';
@Controller()
export class AppController {
  @Get()
  hello() {
    return 'hello';
  }
}
`,
      'apps/api/src/chat.gateway.ts': `import { SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';
@WebSocketGateway({ namespace: 'chat' })
export class ChatGateway {
  @SubscribeMessage('message')
  onMessage() {
    return 'ok';
  }
}
`,
      'apps/jobs/package.json': pkg('@m/jobs', { '@m/health': '*' }),
      'apps/jobs/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { JobsModule } from './jobs.module';
NestFactory.create(JobsModule).then((app) => app.listen(3001));
`,
      'apps/jobs/src/jobs.module.ts': `import { Module } from '@nestjs/common';
import { HealthModule } from '@m/health';
@Module({ imports: [HealthModule] })
export class JobsModule {}
`,
      'apps/mailer/package.json': pkg('@m/mailer', { '@nestjs/microservices': '^10.0.0' }),
      'apps/mailer/src/main.ts': `import { NestFactory } from '@nestjs/core';
import { Transport } from '@nestjs/microservices';
import { MailerModule } from './mailer.module';
NestFactory.createMicroservice(MailerModule, { transport: Transport.TCP }).then((app) => app.listen());
`,
      'apps/mailer/src/mailer.module.ts': `import { Module } from '@nestjs/common';
import { MailerController } from './mailer.controller';
@Module({ controllers: [MailerController] })
export class MailerModule {}
`,
      'apps/mailer/src/mailer.controller.ts': `import { Controller, Get } from '@nestjs/common';
import { MessagePattern } from '@nestjs/microservices';
@Controller()
export class MailerController {
  @Get()
  hello() {
    return 'not served: no HTTP server';
  }
  @MessagePattern('send_mail')
  send() {
    return true;
  }
}
`,
      'libs/health/package.json': pkg('@m/health'),
      'libs/health/src/index.ts': `import { Controller, Get, Module } from '@nestjs/common';
@Controller('health')
export class HealthController {
  @Get()
  check() {
    return true;
  }
}
@Module({ controllers: [HealthController] })
export class HealthModule {}
`,
    });
    const model = await analyseRepo(root);
    const comp = (id: string | undefined) => model.components.find((c) => c.id === id)?.path;
    const list = model.endpoints.map((e) => `${e.method} ${e.path} ${comp(e.component)}`).sort();
    expect(list).toEqual([
      'EVENT /chat message apps/api',
      'GET /api apps/api',
      'GET /api/health apps/api',
      'GET /health apps/jobs',
      'WS /socket.io apps/api',
      'rpc send_mail apps/mailer',
    ]);
    // The prefix's declaration is evidence of the routes it prefixes.
    expect(model.endpoints.find((e) => e.name === 'GET /api')?.evidence).toContainEqual({ file: 'apps/api/.env.example', line: 3 });
    expect(model.warnings.some((w) => /global prefix/.test(w.message))).toBe(false);
  });
});
