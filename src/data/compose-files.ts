/**
 * Compose files (`docker-compose.yml`, `compose.prod.yaml`, in any folder): the compose analyzer
 * reads them, and the other YAML readers (kubernetes, observability, messaging) know them by this
 * one pattern.
 */
export const COMPOSE_FILE = /(^|\/)(docker-compose|compose)([.-][\w.-]+)?\.ya?ml$/;
