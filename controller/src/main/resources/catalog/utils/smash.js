// /whisk.system/utils/smash: nests every parameter but '$fieldName' under the key '$fieldName' names:
// {a: 1, $fieldName: "p"} gives {p: {a: 1}}.
function main(params) {
  const field = params.$fieldName;
  if (typeof field !== 'string') {
    return { error: "Expected an argument '$fieldName' of type 'string'." };
  }
  const rest = Object.assign({}, params);
  delete rest.$fieldName;
  return { [field]: rest };
}
