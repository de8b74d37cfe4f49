// /whisk.system/alarms/alarm: a feed. Wisp serves it itself: creating a trigger with
// --feed /whisk.system/alarms/alarm (POST .../namespaces/whisk.system/actions/alarms/alarm) never runs this
// code. It runs only when the action is put in a sequence or behind a rule, and says so.
function main() {
  return {
    error: 'The alarms feed is used through a trigger: create one with the annotation feed: '
      + '/whisk.system/alarms/alarm and a cron parameter (wsk trigger create NAME --feed /whisk.system/alarms/alarm '
      + "-p cron '*/10 * * * * *')."
  };
}
