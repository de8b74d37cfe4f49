// /whisk.system/utils/cat: joins the array 'lines' into one string, one element per line.
// Result: {lines, payload}; every other parameter is dropped.
function main(params) {
  const lines = params.lines === undefined || params.lines === null ? [] : params.lines;
  if (!Array.isArray(lines)) {
    return { error: "The parameter 'lines' must be an array." };
  }
  return { lines: lines, payload: lines.join('\n') };
}
