// /whisk.system/utils/date: the current date and time, {date: "2026-01-31T12:00:00.000Z"}.
function main() {
  return { date: new Date().toISOString() };
}
