// keyward: inventory, posture and threat detection for non-human identities.

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/context.hpp"

int main(int argc, char** argv) {
  using namespace keyward::cli;

  CLI::App app{
      "keyward secures non-human identities (access keys, service accounts, roles) from the exports\n"
      "and logs your platforms already produce: inventory, posture findings and threat alerts."};
  app.set_version_flag("--version", std::string("keyward ") + KEYWARD_VERSION);
  app.require_subcommand(1);
  app.fallthrough();

  CliContext context;
  app.add_option("--db", context.db_option, "SQLite database file (default: $KEYWARD_DB, else ./keyward.db)")
      ->type_name("PATH");
  app.add_option("--config", context.config_option,
                 "Configuration file (default: $KEYWARD_CONFIG, else ./keyward.yaml when present)")
      ->type_name("PATH");

  add_ingest_command(app, context);
  add_inventory_command(app, context);
  add_show_command(app, context);
  add_vendors_command(app, context);
  add_findings_command(app, context);
  add_finding_command(app, context);
  add_rules_command(app, context);
  add_removable_command(app, context);
  add_scan_command(app, context);
  add_exposures_command(app, context);
  add_alerts_command(app, context);
  add_alert_command(app, context);
  add_watch_command(app, context);
  add_timeline_command(app, context);
  add_demo_command(app, context);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& error) {
    // Usage errors exit 2, as documented for ingest; --help and --version exit 0.
    int code = app.exit(error);
    return code == 0 ? 0 : 2;
  }
  return context.exit_code;
}
