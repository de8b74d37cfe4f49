// /whisk.system/utils/hosturl: the URL that invokes an action ('path': "name" or "package/name") or fires a
// trigger ('trigger': true) of the invoking namespace, or, with 'web': true, the action's web URL with the
// extension 'ext' (.json by default). Without 'path', the collection's URL. Result: {url}.
const WEB_EXTENSIONS = ['.json', '.text', '.html', '.http'];

function main(params) {
  const host = process.env.__OW_API_HOST;
  const namespace = process.env.__OW_NAMESPACE;
  const web = params.web === true;
  const trigger = params.trigger === true;
  const path = typeof params.path === 'string' ? params.path : undefined;
  if (web && params.trigger) {
    return { error: 'triggers are not allowed for web actions.' };
  }
  if (web && params.ext && !WEB_EXTENSIONS.includes(params.ext)) {
    return { error: 'extension for web action must be one of [".json", ".text", ".html", ".http"].' };
  }
  if (trigger && path && path.includes('/')) {
    return { error: 'triggers are not allowed in packages.' };
  }
  const base = web ? `${host}/api/v1/web/${namespace}`
    : `${host}/api/v1/namespaces/${namespace}/${trigger ? 'triggers' : 'actions'}`;
  if (!path) {
    return { url: base };
  }
  if (web) {
    return { url: `${base}/${path.includes('/') ? path : 'default/' + path}${params.ext || '.json'}` };
  }
  return { url: `${base}/${path}` };
}
