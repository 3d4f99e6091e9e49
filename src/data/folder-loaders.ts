/**
 * Frameworks that load an application's routers and plugins from folders named in their settings
 * rather than from imports: what the file roles (src/pipeline/dead-code.ts: a plugin the settings
 * leave switched off is code nothing loads) and the endpoints analyzer (a router in the loader's
 * folder is mounted though nothing imports it) need to know of them.
 */
export interface FolderLoader {
  /** The package that provides the loader. */
  dependency: string;
  /** Folders, relative to the package, whose scripts may hold the settings (the first found wins for a setting). */
  configDirs: readonly string[];
  /** Plugins: the setting (an object of `name: { enable, path }` entries), the folders holding one folder per plugin, and whether an entry without `enable` is loaded. */
  plugins?: { key: string; dirs: readonly string[]; enableByDefault: boolean };
  /** The folder whose scripts' exported routers the loader mounts: the setting naming it, and its default. */
  api?: { key: string; default: string };
}

export const FOLDER_LOADERS: readonly FolderLoader[] = [
  // lin-mizar's Loader: `loadMainApi` mounts the routers of every script under `apiDir`, and
  // `loadPlugins` loads `<path>/app` of each `pluginPath` entry whose `enable` is true.
  {
    dependency: 'lin-mizar',
    configDirs: ['app/config', 'src/config', 'config'],
    plugins: { key: 'pluginPath', dirs: ['app/plugin', 'src/plugin'], enableByDefault: false },
    api: { key: 'apiDir', default: 'app/api' },
  },
];
