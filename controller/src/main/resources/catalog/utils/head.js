// /whisk.system/utils/head: the first 'num' elements (1 when absent or 0) of the array 'lines'.
// Result: {lines, num}.
function main(params) {
  const lines = params.lines === undefined || params.lines === null ? [] : params.lines;
  if (!Array.isArray(lines)) {
    return { error: "The parameter 'lines' must be an array." };
  }
  const num = params.num || 1;
  return { lines: lines.slice(0, num), num: num };
}
