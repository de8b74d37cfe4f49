// /whisk.system/utils/namespace: the namespace of the credentials the action was invoked with, {namespace}.
function main() {
  return { namespace: process.env.__OW_NAMESPACE };
}
