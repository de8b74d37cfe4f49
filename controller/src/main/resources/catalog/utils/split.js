// /whisk.system/utils/split: splits the string 'payload' at 'separator' (a string; by default line breaks,
// \n or \r\n). Result: {lines, payload}, 'payload' as given.
function main(params) {
  if (params.payload === undefined || params.payload === null) {
    return { error: "The parameter 'payload' is required." };
  }
  const separator = params.separator ? String(params.separator) : /\r?\n/;
  return { lines: String(params.payload).split(separator), payload: params.payload };
}
