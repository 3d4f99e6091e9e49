/**
 * Secret shapes for test/redaction.test.ts: each a line as it appears in a repository (a
 * Dockerfile, a Kubernetes probe, a CI command, compose, a URL, a header, a package.json
 * description), the planted value that must not survive redaction, and a piece of the line that
 * must (so the line stays recognisable). All values are FAKE.
 */

export interface SecretCase {
  /** Where such a line is found. */
  where: string;
  line: string;
  /** The planted secret value. */
  secret: string;
  /** Text that must still be there after redaction. */
  keep: string;
}

const c = (where: string, line: string, secret: string, keep: string): SecretCase => ({ where, line, secret, keep });

// Fake credential shapes, built so no real token is ever committed.
const AWS_ID = 'AKIA' + 'Q7ZX4N2V8WK3YTRM';
const AWS_STS = 'ASIA' + 'Z9YX8W7V6U5T4S3R';
const GHP = 'ghp_' + 'F4keT0kenAbCdEfGhIjKlMnOpQrStUvWx12';
const GHO = 'gho_' + 'F4keOauthT0kenAbCdEfGhIjKlMnOpQrSt9';
const GHS = 'ghs_' + 'F4keServerT0kenAbCdEfGhIjKlMnOpQr77';
const GH_PAT = 'github_pat_' + '11ABCDEFG0fakefinegrained_0123456789abcdefghijABCDEFGHIJ';
const GLPAT = 'glpat-' + 'xF4keGitLabT0ken12345';
const SLACK_BOT = 'xoxb-' + '1234567890-0987654321-F4keSlackB0t';
const SLACK_USER = 'xoxp-' + '1234567890-0987654321-F4keSlackUs3r';
const STRIPE = 'sk_live_' + '51HfakeStripeKeyAbCdEf0123';
const STRIPE_R = 'rk_live_' + '51HfakeRestrictedKey0123';
const STRIPE_P = 'pk_live_' + '51HfakePublishableKey0123';
const STRIPE_T = 'sk_test_' + '51HfakeTestKeyAbCdEf9876';
const WHSEC = 'whsec_' + 'F4keWebhookSigningSecret00';
const GOOGLE = 'AIza' + 'SyF4keGoogleApiKey0123456789abcdefgh';
const SENDGRID = 'SG.' + 'f4keSendGridId01' + '.' + 'f4keSendGridSecretPart0123456789';
const NPM = 'npm_' + 'F4keNpmToken0123456789abcdefghijABCDEF';
const OPENAI = 'sk-' + 'proj-F4keOpenAiKey0123456789ABCDEFabcdefGHIJ';
const TWILIO = 'SK' + '0123456789abcdef0123456789abcdef';
const JWT = 'eyJ' + 'hbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9' + '.eyJ' + 'zdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6ImZha2UifQ' + '.F4keSignatureAbCdEf0123456789xyz';
const GOOGLE_OAUTH = 'ya29.' + 'a0F4keGoogleAccessToken0123456789';
const GOCSPX = 'GOCSPX-' + 'F4keGoogleClientSecret01';
const SHOPIFY = 'shpat_' + '0123456789abcdef0123456789abcdef';
const DO = 'dop_v1_' + '0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef';
const HF = 'hf_' + 'FakeHuggingFaceTokenAbCdEfGhIjKlMn';
const SLACK_HOOK_PATH = 'T0F4KE000/B0F4KE000/F4keSlackWebhookSecret12';
const AGE = 'AGE-SECRET-KEY-' + '1F4KEAGESECRETKEY0123456789ABCDEFGHIJ';
const DOCKER_AUTH = 'eyJ' + 'hdXRocyI6eyJnaGNyLmlvIjp7ImF1dGgiOiJabUZyWlE9PSJ9fX0=';

export const SECRET_CASES: SecretCase[] = [
  // URLs with credentials
  c('compose env URL', 'DATABASE_URL: postgres://orders:Pg-Url-Pw-5521@db:5432/orders', 'Pg-Url-Pw-5521', '@db:5432/orders'),
  c('URL with an empty user', 'REDIS_URL=redis://:Redis-Empty-User-7781@cache:6379/0', 'Redis-Empty-User-7781', 'redis://:'),
  c('URL with an empty user in a command', 'redis-cli -u redis://:cliRedisPw-0042@cache:6379 ping', 'cliRedisPw-0042', 'ping'),
  c('mongodb+srv URL', 'mongodb+srv://app:Mongo-Srv-Pw-9911@cluster0.example.net/shop?retryWrites=true', 'Mongo-Srv-Pw-9911', 'cluster0.example.net'),
  c('amqp URL', 'AMQP_URL=amqp://guest:Amqp-Pw-3030@rabbit:5672/', 'Amqp-Pw-3030', 'rabbit:5672'),
  c('mysql URL', 'mysql://root:Mysql-Url-Pw-1188@mysql:3306/app', 'Mysql-Url-Pw-1188', 'mysql:3306/app'),
  c('https basic auth URL', 'curl https://deploy:Https-Basic-Pw-55@registry.example.com/v2/', 'Https-Basic-Pw-55', 'registry.example.com'),
  c(
    'git URL with a token as user',
    'git clone https://x0F4keGitTokenAbCdEf0123456789@github.com/acme/app.git',
    'x0F4keGitTokenAbCdEf0123456789',
    'github.com/acme/app.git',
  ),
  c(
    'git URL with oauth2 user',
    'git remote add origin https://oauth2:Gitlab-Oauth-Pw-77@gitlab.com/acme/app.git',
    'Gitlab-Oauth-Pw-77',
    'gitlab.com/acme/app.git',
  ),
  c('URL with @ in the password', 'postgres://app:p@ss-w0rd-At-66@db/app', 'ss-w0rd-At-66', 'db/app'),
  c('URL in quotes', 'const url = "postgresql://svc:Quoted-Url-Pw-12@pg.internal/svc";', 'Quoted-Url-Pw-12', 'pg.internal/svc'),
  c('URL in JSON', '{"url": "redis://default:Json-Redis-Pw-31@redis:6379"}', 'Json-Redis-Pw-31', 'redis:6379'),
  c('ftp URL', 'lftp ftp://backup:Ftp-Pw-4242@ftp.example.com/', 'Ftp-Pw-4242', 'ftp.example.com'),
  c('smtp URL', 'SMTP_URL=smtps://mailer:Smtp-Url-Pw-8080@smtp.example.com:465', 'Smtp-Url-Pw-8080', 'smtp.example.com:465'),
  c(
    'Sentry DSN key',
    'SENTRY_DSN=https://0f4ke1a2b3c4d5e6f7a8b9c0d1e2f3a4@o123.ingest.sentry.io/456',
    '0f4ke1a2b3c4d5e6f7a8b9c0d1e2f3a4',
    'ingest.sentry.io/456',
  ),
  c(
    'package.json description with a connection string',
    'Orders service (connects to postgres://orders:Desc-Pg-Pw-2024@prod-db:5432/orders)',
    'Desc-Pg-Pw-2024',
    'Orders service',
  ),
  c(
    'URL with user only and password empty-user form in YAML',
    'url: "amqps://:Amqps-Empty-User-Pw-9@mq.example.com"',
    'Amqps-Empty-User-Pw-9',
    'mq.example.com',
  ),
  c('Kafka SASL URL', 'KAFKA_BROKERS=kafka://svc:Kafka-Sasl-Pw-15@broker:9092', 'Kafka-Sasl-Pw-15', 'broker:9092'),
  c('clickhouse URL', 'clickhouse://default:Ch-Pw-2525@ch:9000/db', 'Ch-Pw-2525', 'ch:9000/db'),
  c('local emulator test credentials in a URL', 'STORAGE_URL=http://test:test@localstack:4566', 'test:test@', 'localstack:4566'),

  // CLI flags
  c('Dockerfile CMD --stripe-key', 'CMD ["node", "server.js", "--stripe-key", "' + STRIPE + '"]', STRIPE, 'server.js'),
  c('Dockerfile ENTRYPOINT --password=', 'ENTRYPOINT ["app", "--password=Entry-Pw-0101"]', 'Entry-Pw-0101', 'app'),
  c('--password value', 'pg_dump --password Pgdump-Pw-3344 --host db', 'Pgdump-Pw-3344', '--host db'),
  c('--password=value', 'myapp migrate --password=Migrate-Pw-5566', 'Migrate-Pw-5566', 'migrate'),
  c('--password quoted', 'tool --password "Quoted Pw 7788" --verbose', 'Quoted Pw 7788', '--verbose'),
  c('--password single-quoted', "tool --password 'Single Quoted 99' --verbose", 'Single Quoted 99', '--verbose'),
  c('--token', 'vercel deploy --prod --token Vercel-Token-1a2b3c', 'Vercel-Token-1a2b3c', 'vercel deploy --prod'),
  c('--token=', 'netlify deploy --prod --auth=Netlify-Auth-Tok-1 --token=Netlify-Tok-99', 'Netlify-Tok-99', 'netlify deploy'),
  c('--secret', 'app --secret Cli-Secret-4d4d', 'Cli-Secret-4d4d', 'app'),
  c('--api-key', 'datadog-ci upload --api-key Dd-Api-Key-0099', 'Dd-Api-Key-0099', 'datadog-ci upload'),
  c('--apikey', 'tool --apikey Apikey-Flag-2211', 'Apikey-Flag-2211', 'tool'),
  c('--key', 'gpg-sign --key Gpg-Key-Flag-6644 file.tar', 'Gpg-Key-Flag-6644', 'file.tar'),
  c('--access-key', 'minio-client --access-key Minio-Access-11 --secret-key Minio-Secret-22', 'Minio-Secret-22', 'minio-client'),
  c('--access-key (the id)', 'minio-client --access-key Minio-Access-11 --secret-key Minio-Secret-22', 'Minio-Access-11', 'minio-client'),
  c('--client-secret', 'az login --service-principal -u app --client-secret Az-Client-Sec-8', 'Az-Client-Sec-8', 'az login'),
  c('--auth-token', 'sentry-cli releases new --auth-token Sentry-Auth-Tok-5 v1', 'Sentry-Auth-Tok-5', 'sentry-cli releases'),
  c('--requirepass', 'redis-server --requirepass Requirepass-6060', 'Requirepass-6060', 'redis-server'),
  c('--masterauth-like password flag', 'redis-server --masterpassword Master-Pw-7070', 'Master-Pw-7070', 'redis-server'),
  c('--db-password', 'run.sh --db-password Db-Pass-Flag-33', 'Db-Pass-Flag-33', 'run.sh'),
  c('--private-key', 'deploy --private-key Priv-Key-Flag-88', 'Priv-Key-Flag-88', 'deploy'),
  c('--signing-key', 'cosign sign --signing-key Cosign-Key-19 img', 'Cosign-Key-19', 'cosign sign'),
  c('--encryption-key', 'backup --encryption-key Enc-Key-2727', 'Enc-Key-2727', 'backup'),
  c('--webhook', 'notify --webhook Webhook-Flag-Secret-31', 'Webhook-Flag-Secret-31', 'notify'),
  c('mysql -p attached', 'mysql -uroot -pMysql-Attached-4411 -e "select 1"', 'Mysql-Attached-4411', 'select 1'),
  c('mysqladmin -p in a probe', 'command mysqladmin ping -h 127.0.0.1 -pProbe-Mysql-Pw-2', 'Probe-Mysql-Pw-2', 'mysqladmin ping'),
  c('mysqladmin -p exec array', '["mysqladmin", "ping", "-pArray-Probe-Pw-3"]', 'Array-Probe-Pw-3', 'mysqladmin'),
  c('mysqladmin --password= probe', 'command mysqladmin ping --password=Probe-Long-Pw-4', 'Probe-Long-Pw-4', 'mysqladmin ping'),
  c('mysqldump -p', 'mysqldump -u backup -pDump-Pw-5151 shop > shop.sql', 'Dump-Pw-5151', 'shop.sql'),
  c('mariadb -p', 'mariadb -u root -pMaria-Pw-6262', 'Maria-Pw-6262', 'mariadb'),
  c('redis-cli -a', 'command redis-cli -a Redis-Cli-Pw-7373 ping', 'Redis-Cli-Pw-7373', 'ping'),
  c('redis-cli -a exec array', '["redis-cli", "-a", "Redis-Array-Pw-8484", "ping"]', 'Redis-Array-Pw-8484', 'ping'),
  c('redis-cli -a in a HEALTHCHECK', 'HEALTHCHECK CMD redis-cli -h localhost -a Hc-Redis-Pw-95 ping || exit 1', 'Hc-Redis-Pw-95', 'exit 1'),
  c('sshpass -p', 'sshpass -p Sshpass-Pw-1616 ssh deploy@host', 'Sshpass-Pw-1616', 'ssh deploy@host'),
  c('docker login -p', 'docker login -u ci -p Docker-Login-Pw-17 registry.example.com', 'Docker-Login-Pw-17', 'registry.example.com'),
  c('docker login --password', 'docker login --username ci --password Docker-Long-Pw-18 ghcr.io', 'Docker-Long-Pw-18', 'ghcr.io'),
  c('helm --set key', 'helm upgrade --install api charts/api --set stripe.key=' + STRIPE, STRIPE, 'helm upgrade --install api'),
  c('helm --set password', 'helm upgrade api charts/api --set db.password=Helm-Set-Pw-19', 'Helm-Set-Pw-19', 'charts/api'),
  c('helm --set-string secret', 'helm install api ./chart --set-string auth.jwtSecret=Helm-Jwt-Sec-20', 'Helm-Jwt-Sec-20', './chart'),
  c('helm --set several', 'helm upgrade api ./c --set image.tag=1.2,db.password=Helm-Multi-Pw-21', 'Helm-Multi-Pw-21', 'image.tag=1.2'),
  c('terraform -var', 'terraform apply -var db_pw=Tf-Var-Pw-22 -auto-approve', 'Tf-Var-Pw-22', '-auto-approve'),
  c('terraform -var quoted', "terraform apply -var 'db_password=Tf-Quoted-Pw-23'", 'Tf-Quoted-Pw-23', 'terraform apply'),
  c('terraform -var=', 'terraform plan -var=api_token=Tf-Eq-Tok-24', 'Tf-Eq-Tok-24', 'terraform plan'),
  c('docker run -e', 'docker run -e PASSWORD=Docker-Env-Pw-25 -p 8080:80 app', 'Docker-Env-Pw-25', '-p 8080:80'),
  c('docker run --env', 'docker run --env API_TOKEN=Docker-Env-Tok-26 app', 'Docker-Env-Tok-26', 'app'),
  c('docker build --build-arg', 'docker build --build-arg NPM_TOKEN=Build-Arg-Tok-27 .', 'Build-Arg-Tok-27', 'docker build'),
  c(
    'kubectl create secret',
    'kubectl create secret generic db --from-literal=password=Kubectl-Lit-Pw-28',
    'Kubectl-Lit-Pw-28',
    'kubectl create secret generic db',
  ),
  c('kubectl set env', 'kubectl set env deploy/api JWT_SECRET=Kubectl-Env-Sec-29', 'Kubectl-Env-Sec-29', 'deploy/api'),
  c('gcloud --set-env-vars', 'gcloud run deploy api --set-env-vars=DB_PASS=Gcloud-Env-Pw-30', 'Gcloud-Env-Pw-30', 'gcloud run deploy api'),
  c('aws configure set', 'aws configure set aws_secret_access_key Aws-Configure-Sec-31', 'Aws-Configure-Sec-31', 'aws configure set'),
  c('env assignment before a command', 'PGPASSWORD=Pgpass-Env-32 psql -h db -U app', 'Pgpass-Env-32', 'psql -h db'),
  c('export of a token', 'export GITHUB_TOKEN=Export-Tok-33', 'Export-Tok-33', 'export GITHUB_TOKEN='),
  c('npm config set', 'npm config set //registry.npmjs.org/:_authToken=Npmrc-Auth-Tok-34', 'Npmrc-Auth-Tok-34', 'npm config set'),
  c('htpasswd -b', 'mongosh --username admin --password Mongosh-Pw-35 --eval "db.ping()"', 'Mongosh-Pw-35', 'db.ping()'),
  c('wget --password', 'wget --user=ci --password=Wget-Pw-36 https://example.com/file', 'Wget-Pw-36', 'example.com/file'),
  c('wget --http-password', 'wget --http-user=ci --http-password=Wget-Http-Pw-37 https://example.com/f', 'Wget-Http-Pw-37', 'example.com/f'),
  c('pulumi config set --secret', 'pulumi config set --secret dbPassword Pulumi-Sec-38', 'Pulumi-Sec-38', 'pulumi config set'),
  c('psql password in a conninfo', 'psql "host=db user=app password=Conninfo-Pw-39 dbname=app"', 'Conninfo-Pw-39', 'dbname=app'),

  // HTTP headers and curl
  c('HEALTHCHECK curl -u', 'HEALTHCHECK CMD curl -f -u admin:Hc-Curl-Pw-40 http://localhost:8080/health || exit 1', 'Hc-Curl-Pw-40', 'localhost:8080/health'),
  c('curl --user', 'curl --user ci:Curl-User-Pw-41 https://nexus.example.com', 'Curl-User-Pw-41', 'nexus.example.com'),
  c(
    'HEALTHCHECK Authorization Bearer',
    'HEALTHCHECK CMD curl -H "Authorization: Bearer Hc-Bearer-Tok-42" http://localhost/health',
    'Hc-Bearer-Tok-42',
    'localhost/health',
  ),
  c('curl Authorization Basic', "curl -H 'Authorization: Basic Q2ktQmFzaWMtNDM6cHc=' https://api.example.com", 'Q2ktQmFzaWMtNDM6cHc=', 'api.example.com'),
  c('curl --header Authorization token', 'curl --header "Authorization: token Gh-Hdr-Tok-44" https://api.github.com', 'Gh-Hdr-Tok-44', 'api.github.com'),
  c('Authorization header without a scheme', 'Authorization: Raw-Auth-Value-45', 'Raw-Auth-Value-45', 'Authorization:'),
  c('Authorization header glued', 'curl -H "Authorization:Bearer Glued-Bearer-46" https://x.example.com', 'Glued-Bearer-46', 'x.example.com'),
  c('X-Api-Key header', 'curl -H "X-Api-Key: Xapi-Hdr-Key-47" https://api.example.com/v1', 'Xapi-Hdr-Key-47', 'api.example.com/v1'),
  c('X-Auth-Token header', 'curl -H "X-Auth-Token: Xauth-Hdr-Tok-48" https://api.example.com', 'Xauth-Hdr-Tok-48', 'api.example.com'),
  c(
    'Private-Token header',
    'curl --header "PRIVATE-TOKEN: Private-Hdr-Tok-49" https://gitlab.example.com/api/v4/projects',
    'Private-Hdr-Tok-49',
    'gitlab.example.com',
  ),
  c('Api-Key header', 'Api-Key: Apikey-Hdr-50', 'Apikey-Hdr-50', 'Api-Key:'),
  c('Cookie header', 'curl -H "Cookie: session=Cookie-Session-51" https://app.example.com', 'Cookie-Session-51', 'app.example.com'),
  c('Proxy-Authorization header', 'Proxy-Authorization: Basic UHJveHktQXV0aC01Mg==', 'UHJveHktQXV0aC01Mg==', 'Proxy-Authorization: Basic'),
  c(
    'Bearer in a CI deploy command',
    'curl -X POST -H "Bearer Ci-Bearer-Tok-53" https://deploy.example.com/hook',
    'Ci-Bearer-Tok-53',
    'deploy.example.com/hook',
  ),
  c('Bearer in quotes', 'http POST api.example.com "Bearer Quoted-Bearer-54x"', 'Quoted-Bearer-54x', 'api.example.com'),
  c('wget --header', 'wget --header="Authorization: Bearer Wget-Hdr-55" https://x.example.com', 'Wget-Hdr-55', 'x.example.com'),
  c('k8s httpGet header value', 'httpHeaders: [{name: X-Api-Key, value: K8s-Hdr-56}]', 'K8s-Hdr-56', 'httpHeaders'),
  c('JSON headers', '{"headers": {"Authorization": "Bearer Json-Hdr-57aa"}}', 'Json-Hdr-57aa', 'headers'),

  // key=value and key: value pairs
  c('compose env list', '- JWT_SECRET=Compose-Jwt-Sec-58', 'Compose-Jwt-Sec-58', 'JWT_SECRET='),
  c('compose env map', 'POSTGRES_PASSWORD: Compose-Pg-Pw-59', 'Compose-Pg-Pw-59', 'POSTGRES_PASSWORD:'),
  c('compose test credentials', 'AWS_SECRET_ACCESS_KEY: test', 'AWS_SECRET_ACCESS_KEY: test', 'AWS_SECRET_ACCESS_KEY:'),
  c('.env line', 'SESSION_SECRET=Dotenv-Session-60', 'Dotenv-Session-60', 'SESSION_SECRET='),
  c('.env quoted', 'API_KEY="Dotenv-Quoted-Key-61"', 'Dotenv-Quoted-Key-61', 'API_KEY='),
  c('YAML password', 'password: Yaml-Pw-62', 'Yaml-Pw-62', 'password:'),
  c('YAML camelCase secret', 'clientSecret: Yaml-Client-Sec-63', 'Yaml-Client-Sec-63', 'clientSecret:'),
  c('YAML quoted', 'apiToken: "Yaml-Quoted-Tok-64"', 'Yaml-Quoted-Tok-64', 'apiToken:'),
  c('JSON password', '{"password": "Json-Pw-65", "user": "app"}', 'Json-Pw-65', '"user": "app"'),
  c('JSON apiKey', '{ "apiKey": "Json-ApiKey-66" }', 'Json-ApiKey-66', 'apiKey'),
  c('HCL password', 'password = "Hcl-Pw-67"', 'Hcl-Pw-67', 'password ='),
  c('HCL secret_key', '  secret_key = "Hcl-Secret-Key-68"', 'Hcl-Secret-Key-68', 'secret_key ='),
  c('tfvars db_password', 'db_password = "Tfvars-Pw-69"', 'Tfvars-Pw-69', 'db_password'),
  c('properties file', 'spring.datasource.password=Props-Pw-70', 'Props-Pw-70', 'spring.datasource.password='),
  c('INI', 'auth_token = Ini-Tok-71', 'Ini-Tok-71', 'auth_token'),
  c('connection string Password=', 'Server=tcp:db.example.com;Database=app;User Id=sa;Password=Mssql-Conn-Pw-72;', 'Mssql-Conn-Pw-72', 'Database=app'),
  c('connection string Pwd=', 'Driver={ODBC};Server=db;Uid=app;Pwd=Odbc-Pwd-73;', 'Odbc-Pwd-73', 'Server=db'),
  c(
    'Azure storage AccountKey',
    'DefaultEndpointsProtocol=https;AccountName=acme;AccountKey=QXp1cmUtS2V5LTc0Zmxha2U=;EndpointSuffix=core.windows.net',
    'QXp1cmUtS2V5LTc0Zmxha2U=',
    'AccountName=acme',
  ),
  c(
    'Azure Service Bus SharedAccessKey',
    'Endpoint=sb://acme.servicebus.windows.net/;SharedAccessKeyName=root;SharedAccessKey=U2ItS2V5LTc1=',
    'U2ItS2V5LTc1=',
    'SharedAccessKeyName=root',
  ),
  c('private_key in JSON', '{"type": "service_account", "private_key_id": "x", "client_secret": "Gcp-Client-Sec-76"}', 'Gcp-Client-Sec-76', 'service_account'),
  c('db_pw', 'db_pw=Db-Pw-77', 'Db-Pw-77', 'db_pw='),
  c('DB_PASS', 'DB_PASS=Db-Pass-78', 'Db-Pass-78', 'DB_PASS='),
  c('passphrase', 'GPG_PASSPHRASE=Gpg-Passphrase-79', 'Gpg-Passphrase-79', 'GPG_PASSPHRASE='),
  c('salt', 'PASSWORD_SALT=Pw-Salt-80', 'Pw-Salt-80', 'PASSWORD_SALT='),
  c('credentials', 'CREDENTIALS=Creds-81', 'Creds-81', 'CREDENTIALS='),
  c('key = value with spaces', 'STRIPE_KEY = Stripe-Spaced-82', 'Stripe-Spaced-82', 'STRIPE_KEY ='),

  // Query strings
  c('OpenAPI server URL with api_key', 'https://api.example.com/v1?api_key=Openapi-Server-Key-83', 'Openapi-Server-Key-83', 'api.example.com/v1'),
  c('endpoint path with a key query', 'GET /v1?api_key=Path-Query-Key-84/orders', 'Path-Query-Key-84', 'GET /v1?api_key='),
  c('query token and others', 'https://x.example.com/cb?state=abc&access_token=Query-Access-Tok-85&page=2', 'Query-Access-Tok-85', 'page=2'),
  c('query key (Google Maps)', 'https://maps.googleapis.com/maps/api/geocode/json?address=x&key=Maps-Key-86', 'Maps-Key-86', 'maps.googleapis.com'),
  c('Azure SAS signature', 'https://acme.blob.core.windows.net/c/b?sv=2022-11-02&sig=Sas-Sig-87%3D', 'Sas-Sig-87%3D', 'acme.blob.core.windows.net'),
  c('AWS presigned signature', 'https://b.s3.amazonaws.com/k?X-Amz-Expires=60&X-Amz-Signature=0f4ke88abcdef', '0f4ke88abcdef', 'X-Amz-Expires=60'),
  c('client_secret in a query', 'POST /oauth/token?client_id=app&client_secret=Query-Client-Sec-89', 'Query-Client-Sec-89', 'client_id=app'),
  c('password in a query', 'https://legacy.example.com/login?user=a&password=Query-Pw-90', 'Query-Pw-90', 'user=a'),
  c('refresh_token in a query', 'https://x.example.com/r?refresh_token=Query-Refresh-91', 'Query-Refresh-91', 'x.example.com'),
  c('apikey in a query', 'https://x.example.com/q?apikey=Query-Apikey-92', 'Query-Apikey-92', 'x.example.com'),
  c('token in a webhook query', 'https://hooks.example.com/notify?token=Hook-Query-Tok-93', 'Hook-Query-Tok-93', 'hooks.example.com'),

  // Well-known formats anywhere
  c('AWS access key id', 'ENV AWS_ACCESS_KEY_ID ' + AWS_ID, AWS_ID, 'ENV AWS_ACCESS_KEY_ID'),
  c('AWS access key id in prose', 'uses the key ' + AWS_ID + ' for uploads', AWS_ID, 'for uploads'),
  c('AWS session key id', 'aws_access_key_id=' + AWS_STS, AWS_STS, 'aws_access_key_id'),
  c('GitHub classic token', 'echo ' + GHP + ' | docker login ghcr.io --password-stdin', GHP, 'docker login ghcr.io'),
  c('GitHub OAuth token', 'token ' + GHO, GHO, 'token'),
  c('GitHub server token', 'GH=' + GHS, GHS, 'GH='),
  c('GitHub fine-grained token', 'gh auth login --with-token ' + GH_PAT, GH_PAT, 'gh auth login'),
  c('GitLab token', 'glab auth login --token ' + GLPAT, GLPAT, 'glab auth login'),
  c('Slack bot token', 'SLACK=' + SLACK_BOT, SLACK_BOT, 'SLACK='),
  c('Slack user token in prose', 'posts with ' + SLACK_USER, SLACK_USER, 'posts with'),
  c('Slack webhook URL', 'https://hooks.slack.com/services/' + SLACK_HOOK_PATH, SLACK_HOOK_PATH, 'hooks.slack.com/services/'),
  c('Stripe live key in a description', 'Payments via Stripe (' + STRIPE + ')', STRIPE, 'Payments via Stripe'),
  c('Stripe restricted key', 'RK ' + STRIPE_R, STRIPE_R, 'RK'),
  c('Stripe publishable key', 'pk ' + STRIPE_P, STRIPE_P, 'pk'),
  c('Stripe test key', 'test key ' + STRIPE_T, STRIPE_T, 'test key'),
  c('Stripe webhook secret', 'signing with ' + WHSEC, WHSEC, 'signing with'),
  c('Google API key', 'maps: ' + GOOGLE, GOOGLE, 'maps:'),
  c('SendGrid key', 'mail via ' + SENDGRID, SENDGRID, 'mail via'),
  c('npm token', '//registry.npmjs.org/:_authToken ' + NPM, NPM, 'registry.npmjs.org'),
  c('OpenAI key', 'LLM ' + OPENAI, OPENAI, 'LLM'),
  c('Twilio API key SID', 'twilio ' + TWILIO, TWILIO, 'twilio'),
  c('JWT', 'Authorization header example ' + JWT, JWT, 'Authorization header example'),
  c('JWT in a curl header', 'curl -H "Authorization: Bearer ' + JWT + '" https://api.example.com', JWT, 'api.example.com'),
  c('docker config JSON in base64', '.dockerconfigjson: ' + DOCKER_AUTH, DOCKER_AUTH, '.dockerconfigjson:'),
  c('Google OAuth access token', 'token ' + GOOGLE_OAUTH, GOOGLE_OAUTH, 'token'),
  c('Google client secret', 'secret is ' + GOCSPX, GOCSPX, 'secret is'),
  c('Shopify token', 'shop ' + SHOPIFY, SHOPIFY, 'shop'),
  c('DigitalOcean token', 'doctl auth init -t ' + DO, DO, 'doctl auth init'),
  c('Hugging Face token', 'hub ' + HF, HF, 'hub'),
  c('age secret key', 'key ' + AGE, AGE, 'key'),
  c(
    'private key block',
    '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAf4kePemBodyLine1\nAbCdEfPemBodyLine2==\n-----END RSA PRIVATE KEY-----',
    'MIIEpAIBAAKCAQEAf4kePemBodyLine1',
    'BEGIN RSA PRIVATE KEY',
  ),
  c(
    'private key block, second line',
    '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANf4ke\nSecondPemLine0099\n-----END PRIVATE KEY-----',
    'SecondPemLine0099',
    'END PRIVATE KEY',
  ),
  c(
    'OpenSSH private key',
    '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEf4ke\n-----END OPENSSH PRIVATE KEY-----',
    'b3BlbnNzaC1rZXktdjEf4ke',
    'OPENSSH PRIVATE KEY',
  ),
  c(
    'EC private key on one line',
    '"-----BEGIN EC PRIVATE KEY-----\\nMHcCAQEEIf4keEcKey\\n-----END EC PRIVATE KEY-----"',
    'MHcCAQEEIf4keEcKey',
    'EC PRIVATE KEY',
  ),
  c('unterminated private key', '-----BEGIN PRIVATE KEY-----\nMIIUnterminatedF4ke', 'MIIUnterminatedF4ke', 'BEGIN PRIVATE KEY'),

  // Where the issue found leaks (case 4)
  c('k8s exec probe -pX', 'command mysql -h localhost -uroot -pK8s-Probe-Mysql-94 -e SELECT 1', 'K8s-Probe-Mysql-94', 'SELECT 1'),
  c('k8s exec probe --password=X', 'command sh -c mysqladmin ping --password=K8s-Probe-Long-95', 'K8s-Probe-Long-95', 'mysqladmin ping'),
  c('k8s exec probe redis-cli -a X', 'command redis-cli -a K8s-Probe-Redis-96 ping', 'K8s-Probe-Redis-96', 'ping'),
  c('CI deploy --key X', 'fly deploy --key Fly-Key-97 --app api', 'Fly-Key-97', '--app api'),
  c('CI deploy "Bearer X"', 'curl -fsS -X POST -H "Bearer Ci-Deploy-Bearer-98" "$DEPLOY_HOOK"', 'Ci-Deploy-Bearer-98', '$DEPLOY_HOOK'),
  c('package.json description with a key', 'Billing worker; uses ' + STRIPE + ' in production', STRIPE, 'Billing worker'),
  c('compose env value with test credentials', 'AWS_SECRET_ACCESS_KEY=test', 'AWS_SECRET_ACCESS_KEY=test', 'AWS_SECRET_ACCESS_KEY='),
  c('compose emulator URL', 'PUBSUB_URL=http://test:test@pubsub:8085', 'test:test@', 'pubsub:8085'),

  // Found by review after the first round (issue #21 case 4): words glued by quotes, commas and
  // brackets, `key:value` with no space, assignment operators, and more tools' password flags.
  c('package.json description with JSON', 'Orders API; config {"password":"Desc-Json-Pw-201"}', 'Desc-Json-Pw-201', 'Orders API; config {"password":"'),
  c(
    'compose healthcheck curl --user=',
    'test: curl -f --user=admin:Hc-User-Eq-Pw-205 http://localhost:8080/health || exit 1',
    'Hc-User-Eq-Pw-205',
    '--user=admin:',
  ),
  c('helm --set-json', `helm upgrade api ./chart --set-json 'db={"password":"Helm-Json-Pw-208"}'`, 'Helm-Json-Pw-208', `--set-json 'db={"password":"`),
  c('helm --set-json=', `helm install api ./chart --set-json='auth={"token":"Helm-Json-Tok-209"}'`, 'Helm-Json-Tok-209', 'helm install api ./chart'),
  c('Dockerfile exec form with no spaces', 'CMD ["node","server.js","--token","Exec-Nospace-Tok-29"]', 'Exec-Nospace-Tok-29', '"server.js","--token","'),
  c(
    'Dockerfile ENTRYPOINT exec form, secret flag then value',
    'ENTRYPOINT ["/app","--api-key","Exec-Nospace-Key-210","--port","8080"]',
    'Exec-Nospace-Key-210',
    '"--port","8080"',
  ),
  c('key:value with no space', 'password:Glued-Colon-Pw-211', 'Glued-Colon-Pw-211', 'password:'),
  c('JSON with no spaces', '{"user":"app","password":"Json-Nospace-Pw-212"}', 'Json-Nospace-Pw-212', '{"user":"app","password":"'),
  c('Python dict', "DATABASES = {'default': {'USER': 'app', 'PASSWORD': 'Py-Dict-Pw-213'}}", 'Py-Dict-Pw-213', "'USER': 'app'"),
  c('JSON header with no spaces', '{"headers":{"Authorization":"Bearer Json-Nospace-Bearer-214"}}', 'Json-Nospace-Bearer-214', '"Authorization":"Bearer '),
  c('JSON api key header with no spaces', '{"X-Api-Key":"Json-Hdr-Nospace-215"}', 'Json-Hdr-Nospace-215', 'X-Api-Key'),
  c('YAML flow mapping', '{user: app, password: Flow-Map-Pw-216}', 'Flow-Map-Pw-216', 'user: app'),
  c(
    'ECS task definition environment',
    '"environment":[{"name":"DB_PASSWORD","value":"Ecs-Env-Pw-217"},{"name":"PORT","value":"8080"}]',
    'Ecs-Env-Pw-217',
    '"value":"8080"',
  ),
  c('JSON array of env assignments', '"env":["PORT=8080","DB_PASSWORD=Env-Array-Pw-218"]', 'Env-Array-Pw-218', '"PORT=8080"'),
  c('curl -u attached', 'curl -fsS -uadmin:Curl-Attached-Pw-219 https://nexus.example.com/service/rest', 'Curl-Attached-Pw-219', '-uadmin:'),
  c('curl --user=', 'curl --user=ci:Curl-User-Eq-Pw-220 https://nexus.example.com', 'Curl-User-Eq-Pw-220', '--user=ci:'),
  c('curl --proxy-user=', 'curl --proxy-user=proxy:Curl-Proxy-Pw-221 -x http://proxy:3128 https://x.example.com', 'Curl-Proxy-Pw-221', '--proxy-user=proxy:'),
  c(
    'curl -u in an exec-form healthcheck with no spaces',
    '["CMD","curl","-f","-u","admin:Hc-Exec-Nospace-222","http://localhost/health"]',
    'Hc-Exec-Nospace-222',
    '"admin:',
  ),
  c('wget --password= alone', 'wget -q --password=Wget-Only-Pw-223 ftp://ftp.example.com/file', 'Wget-Only-Pw-223', 'ftp.example.com/file'),
  c('Makefile ?=', 'DB_PASSWORD ?= Make-Cond-Pw-224', 'Make-Cond-Pw-224', 'DB_PASSWORD ?='),
  c('Makefile ?= glued', 'DB_PASSWORD?=Make-Glued-Pw-225', 'Make-Glued-Pw-225', 'DB_PASSWORD?='),
  c('Makefile :=', 'API_TOKEN := Make-Simple-Tok-226', 'Make-Simple-Tok-226', 'API_TOKEN :='),
  c('Makefile +=', 'EXTRA_SECRET += Make-Append-Sec-227', 'Make-Append-Sec-227', 'EXTRA_SECRET +='),
  c('Go :=', 'password := "Go-Walrus-Pw-228"', 'Go-Walrus-Pw-228', 'password := "'),
  c('PHP array =>', "'password' => 'Php-Arrow-Pw-229',", 'Php-Arrow-Pw-229', "'password' => '"),
  c('Perl or Ruby hash =>', 'password => "Perl-Arrow-Pw-230"', 'Perl-Arrow-Pw-230', 'password => "'),
  c('Ruby hash => glued', 'config = {"api_key"=>"Ruby-Glued-Key-231"}', 'Ruby-Glued-Key-231', 'config = {"api_key"=>'),
  c('query auth=', 'https://api.example.com/v1/feed?auth=Query-Auth-232&page=1', 'Query-Auth-232', 'page=1'),
  c('query jwt=', 'wss://rt.example.com/socket?jwt=Query-Jwt-233', 'Query-Jwt-233', 'rt.example.com/socket'),
  c(
    'query code_verifier=',
    'POST /oauth/token?grant_type=authorization_code&code_verifier=Pkce-Verifier-234',
    'Pkce-Verifier-234',
    'grant_type=authorization_code',
  ),
  c('sqlcmd -P', 'sqlcmd -S db -U sa -P Sqlcmd-Pw-235 -Q "SELECT 1"', 'Sqlcmd-Pw-235', '-Q "SELECT 1"'),
  c(
    'sqlcmd -P in an exec-form healthcheck',
    '["CMD", "/opt/mssql-tools18/bin/sqlcmd", "-S", "localhost", "-U", "sa", "-P", "Mssql-Hc-Pw-236", "-C", "-Q", "SELECT 1"]',
    'Mssql-Hc-Pw-236',
    '"SELECT 1"',
  ),
  c('ldapsearch -w', 'ldapsearch -x -H ldap://ldap -D cn=admin,dc=example,dc=org -w Ldap-Pw-237 -b dc=example,dc=org', 'Ldap-Pw-237', '-b dc=example,dc=org'),
  c('ldapsearch -w attached', 'ldapwhoami -x -D cn=admin,dc=example,dc=org -wLdap-Attached-238', 'Ldap-Attached-238', 'ldapwhoami'),
  c('mysql --password value', 'mysql -h db -u app --password Mysql-Long-Pw-239 shop', 'Mysql-Long-Pw-239', 'shop'),
  c('mysqladmin exec form with no spaces', '["mysqladmin","ping","-h","localhost","-pMysql-Nospace-240"]', 'Mysql-Nospace-240', '"mysqladmin","ping"'),
  c('redis-cli exec form with no spaces', '["redis-cli","-a","Redis-Nospace-241","ping"]', 'Redis-Nospace-241', '"ping"'),
  c('psql with a quoted URL', 'psql "postgresql://app:Psql-Quoted-Url-242@db:5432/app" -c "select 1"', 'Psql-Quoted-Url-242', '@db:5432/app'),
  c('PGPASSWORD before psql', 'PGPASSWORD=Pgpass-Inline-243 psql -h db -U app -c "select 1"', 'Pgpass-Inline-243', 'psql -h db'),
  c('export API_KEY', 'export API_KEY=Export-Api-Key-244', 'Export-Api-Key-244', 'export API_KEY='),
  c('fish set -x', 'set -x GITHUB_TOKEN Fish-Set-Tok-245', 'Fish-Set-Tok-245', 'set -x GITHUB_TOKEN'),
  c('docker login -p in a workflow', 'run: docker login -u ci -p Docker-Login-Run-246 ghcr.io', 'Docker-Login-Run-246', 'ghcr.io'),
  c('--password= with a quoted value of several words', 'app --password="first word Pw-248" --verbose', 'Pw-248', '--verbose'),
  c('.env value of several words in quotes', "DB_PASSWORD='correct horse Pw-249'", 'Pw-249', 'DB_PASSWORD='),
  c(
    'kubectl --from-literal with no spaces around',
    'kubectl create secret generic api --from-literal=api-key=Kubectl-Lit-Key-247 --dry-run=client',
    'Kubectl-Lit-Key-247',
    '--dry-run=client',
  ),
];

/** Text that must come out of redaction unchanged: names, references, placeholders, paths and prose. */
export const INNOCENT: string[] = [
  'DATABASE_PASSWORD',
  'JWT_SECRET, STRIPE_SECRET_KEY and AWS_SECRET_ACCESS_KEY are read from the environment',
  '${{ secrets.REGISTRY_PASSWORD }}',
  'docker login -u ci -p ${{ secrets.REGISTRY_PASSWORD }} ghcr.io',
  '--password $DB_PASSWORD',
  'mysql -uroot -p$MYSQL_ROOT_PASSWORD',
  'redis-cli -a "$REDIS_PASSWORD" ping',
  'postgres://app:${DB_PASSWORD}@db:5432/app',
  'postgres://app:$DB_PASSWORD@db:5432/app',
  'process.env.TOKEN',
  'process.env.JWT_SECRET ?? throw',
  'password: <password>',
  'API_KEY=<your-api-key>',
  'api_key={{ .Values.apiKey }}',
  'src/auth/token.service.ts',
  'apps/api/src/password-reset/reset.controller.ts',
  'POST /auth/token',
  'POST /auth/password/reset',
  'GET /api-keys/:id',
  'Bearer token authentication (JWT)',
  'Issues a bearer token on login',
  'The API key is checked by ApiKeyGuard',
  'redis://cache:6379',
  'postgres://db:5432/app',
  'ssh://git@github.com/acme/app.git',
  'git@github.com:acme/app.git',
  'docker run -p 8080:80 -a stdout app',
  'ls -a /app',
  'node dist/server.js --port 3000',
  'curl -f http://localhost:3000/health || exit 1',
  'image: postgres:16@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
  'TOKEN_TTL=3600',
  'PASSWORD_MIN_LENGTH=12',
  'PWD=/app',
  'JWT_SECRET_FILE=/run/secrets/jwt',
  'components: orders-api, billing-worker',
  'security:committed-secret:docker-compose.yml:services.api',
  'Uses ASIAN markets data',
  'sk-learn-classifier',
  'sort_key=created_at',
  'A JWT is verified with the public key from JWKS',
  'skips TLS verification (rejectUnauthorized: false)',
  // Counterparts of the shapes found in review: what looks close and must stay.
  '{"passwordPolicy": "strict", "tokenType": "Bearer"}',
  '["node","server.js","--port","3000"]',
  'echo "$CR_PAT" | docker login ghcr.io -u USERNAME --password-stdin',
  'docker login ghcr.io --password-stdin -u ci',
  'curl --user=$CI_USER:$CI_PASSWORD https://nexus.example.com',
  'curl -u "$NEXUS_USER:$NEXUS_PASSWORD" https://nexus.example.com',
  'curl -uadmin https://x.example.com',
  'mysql -h db -P 3306 -u app -p',
  'ldapsearch -x -W -b dc=example,dc=org',
  'sqlcmd -S localhost -U sa -P "$SA_PASSWORD" -Q "SELECT 1"',
  'https://example.com/callback?code=GB&state=orders',
  'items.map(token => token.trim())',
  'password: {{ .Values.password }}',
  '{"name":"DB_PASSWORD","valueFrom":{"secretKeyRef":{"name":"db","key":"password"}}}',
  '[k8s/secret.yaml:2](../k8s/secret.yaml#L2)',
  '[src/auth/api-key.middleware.ts:7](../src/auth/api-key.middleware.ts#L7)',
  'keys/server.key:1',
  "{ provide: 'auth:token', useClass: JwtGuard }",
  'key: password',
  'key = "orders/terraform.tfstate"',
  'DB_PASSWORD ?= $(shell cat .secrets/db)',
  'set -x PATH $PATH /usr/local/bin',
];

/** Adversarial inputs for linearity: each built to be about `size` characters. */
export function adversarial(size: number): [name: string, text: string][] {
  const rep = (unit: string) => unit.repeat(Math.ceil(size / unit.length)).slice(0, size);
  const out: [string, string][] = [
    ['a:a:', rep('a:')],
    ['://', rep('://')],
    ['a://', rep('a://')],
    ['a://b:', rep('a://b:')],
    ['@@@', rep('@')],
    ['a://a@', rep('a://a@')],
    ['x://:p@', rep('x://:p')],
    ['password=', rep('password=')],
    ['--password ', rep('--password ')],
    ['-p', rep('mysql -p')],
    ['eyJ', rep('eyJ')],
    ['eyJ.', rep('eyJa.')],
    ['AKIA', rep('AKIA')],
    ['sk-', rep('sk-')],
    ['xoxb-', rep('xoxb-')],
    ['SG.', rep('SG.')],
    ['ghp_', rep('ghp_')],
    ['-----BEGIN ', rep('-----BEGIN ')],
    ['-----BEGIN PRIVATE KEY-----', rep('-----BEGIN PRIVATE KEY-----')],
    ['Authorization: ', rep('Authorization: ')],
    ['"', rep('--password "a ')],
    ['a=', rep('a=')],
    ['${', rep('${')],
    ['words', rep('token ')],
    // Exec-form arrays, JSON and the shapes read since the review.
    ['","', rep('","')],
    ['":"', rep('":"')],
    ['{"a":"', rep('{"a":"')],
    ['"password":"', rep('"password":"')],
    ['"Authorization":', rep('"Authorization":')],
    ['--token "a', rep('--token "a ')],
    ["--token 'a", rep("--token 'a ")],
    ['curl -ua', rep('curl -ua ')],
    ['--user=a', rep('curl --user=a')],
    ['PW ?= ', rep('PW ?= ')],
    ['a?=', rep('a?=')],
    ['password=>', rep('password=>')],
    ['password:', rep('password:')],
    ['ldapsearch -w', rep('ldapsearch -w ')],
    ['set -x', rep('set -x ')],
    ['"value":', rep('"TOKEN","value":')],
    ["password='a ", rep("password='a ")],
    ['password="', rep('password="')],
  ];
  for (let code = 33; code < 127; code++) {
    const ch = String.fromCharCode(code);
    if (/[A-Za-z0-9]/.test(ch)) continue;
    out.push([`run of ${ch}`, rep(ch)]);
    out.push([`a${ch} alternation`, rep('a' + ch)]);
  }
  out.push(['spaces', rep(' ')], ['tabs', rep('\t')], ['newlines', rep('\n')]);
  return out;
}
