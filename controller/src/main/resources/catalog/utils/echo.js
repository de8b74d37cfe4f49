// /whisk.system/utils/echo: the result is the parameters, unchanged.
function main(params) {
  return params;
}
