// /whisk.system/utils/sort: sorts the array 'lines' the way JavaScript's Array.prototype.sort does by
// default (as strings, so [10, 9] stays [10, 9]). Result: {lines, length}.
function main(params) {
  const lines = params.lines === undefined || params.lines === null ? [] : params.lines;
  if (!Array.isArray(lines)) {
    return { error: "The parameter 'lines' must be an array." };
  }
  const sorted = lines.slice().sort();
  return { lines: sorted, length: sorted.length };
}
