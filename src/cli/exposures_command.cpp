// `keyward exposures` lists the secrets that `keyward scan` stored, each matched again to the
// inventory as it is now, with the credential's identity, owner, privilege, last use and status.
// Secrets appear only as their redacted form and keyed fingerprint.

#include <fmt/format.h>

#include "cli/context.hpp"
#include "posture/inventory.hpp"
#include "report/exposures_output.hpp"
#include "report/table.hpp"
#include "secrets/inventory_join.hpp"

namespace keyward::cli {
namespace {

enum class ExposuresFormat { table, json };

struct ExposuresArguments {
  ExposuresFormat format = ExposuresFormat::table;
  bool matched_only = false;
  bool active_only = false;
};

nlohmann::json optional_time_json(const std::optional<core::UnixTime>& time) {
  return time ? nlohmann::json(core::format_time(*time)) : nlohmann::json(nullptr);
}

nlohmann::json location_json(const core::ExposureLocation& location) {
  return {{"path", location.path},     {"line", location.line},
          {"column", location.column}, {"commit", location.commit},
          {"author", location.author}, {"commit_time", optional_time_json(location.commit_time)},
          {"encoding", location.encoding}};
}

nlohmann::json context_json(const core::Exposure& exposure, const secrets::ExposureContext& context) {
  nlohmann::json identity = {{"id", exposure.matched_identity_id}, {"name", nullptr}, {"kind", nullptr}};
  if (context.identity) {
    identity["name"] = context.identity->name;
    identity["kind"] = context.identity->kind;
  }
  return {{"id", context.credential->id},
          {"platform", context.credential->platform},
          {"kind", context.credential->kind},
          {"status", context.status},
          {"active", context.active},
          {"matched_by", secrets::to_string(context.basis)},
          {"identity", identity},
          {"owner", context.owner},
          {"privilege", context.privilege},
          {"permissions", context.permissions},
          {"last_used", optional_time_json(context.last_used)},
          {"last_used_field", context.last_used_field}};
}

nlohmann::json exposure_json(const core::Exposure& exposure, const std::optional<secrets::ExposureContext>& context) {
  nlohmann::json locations = nlohmann::json::array();
  for (const auto& location : exposure.locations) locations.push_back(location_json(location));
  return {{"fingerprint", exposure.fingerprint},
          {"rule_id", exposure.rule_id},
          {"rule_name", exposure.rule_name},
          {"service", exposure.service},
          {"category", exposure.category},
          {"redacted", exposure.redacted},
          {"checksum_valid", exposure.checksum_valid},
          {"verification", exposure.verification},
          {"identifier", exposure.identifier},
          {"paired_fingerprint", exposure.paired_fingerprint},
          {"first_seen", optional_time_json(exposure.first_seen)},
          {"last_seen", optional_time_json(exposure.last_seen)},
          {"locations", locations},
          {"credential", context ? context_json(exposure, *context) : nlohmann::json(nullptr)}};
}

std::string where_found(const core::Exposure& exposure) {
  if (exposure.locations.empty()) return "-";
  std::string text = report::location_text(exposure.locations.front());
  if (exposure.locations.size() > 1) text += fmt::format(" (+{})", exposure.locations.size() - 1);
  return text;
}

std::string table_row_status(const std::optional<secrets::ExposureContext>& context) {
  if (!context) return "-";
  return context->active ? "ACTIVE" : context->status;
}

void run_exposures(const ExposuresArguments& arguments, CliContext& context) {
  auto store = open_store(context);
  if (!store) {
    print_error(store.error().describe());
    context.exit_code = 1;
    return;
  }
  // Loading the inventory matches the stored exposures to the credentials as they are now.
  auto inventory = posture::load_inventory(**store);
  if (!inventory) {
    print_error(inventory.error().describe());
    context.exit_code = 1;
    return;
  }

  nlohmann::json out = nlohmann::json::array();
  report::Table table({{"SECRET", 12}, {"RULE", 16, true}, {"WHERE", 16, true}, {"CREDENTIAL", 12, true},
                       {"IDENTITY", 10, true}, {"OWNER", 8, true}, {"PRIVILEGE", 9}, {"STATUS", 8}});
  size_t listed = 0;
  for (const core::Exposure* exposure : report::exposures_by_priority(inventory->exposures)) {
    const auto credential = secrets::exposure_context(*inventory, *exposure);
    if ((arguments.matched_only || arguments.active_only) && !credential) continue;
    if (arguments.active_only && !credential->active) continue;
    ++listed;
    if (arguments.format == ExposuresFormat::json) {
      out.push_back(exposure_json(*exposure, credential));
      continue;
    }
    const std::string identity = !credential ? "-"
                                 : credential->identity ? credential->identity->name
                                                        : exposure->matched_identity_id;
    table.add_row({exposure->redacted, exposure->rule_id, where_found(*exposure),
                   credential ? exposure->matched_credential_id : "-", identity,
                   credential && !credential->owner.empty() ? credential->owner : "-",
                   credential && !credential->privilege.empty() ? credential->privilege : "-",
                   table_row_status(credential)});
  }

  if (arguments.format == ExposuresFormat::json) {
    fmt::print("{}\n", out.dump(2));
    return;
  }
  if (!table.empty()) fmt::print("{}", table.render(table_width()));
  fmt::print("{} of {} stored exposures listed. `keyward scan PATH` adds more; `keyward findings` reports the "
             "matched ones as nhi.secret.exposed.\n",
             listed, inventory->exposures.size());
}

}  // namespace

void add_exposures_command(CLI::App& app, CliContext& context) {
  auto arguments = std::make_shared<ExposuresArguments>();
  CLI::App* command = app.add_subcommand(
      "exposures", "List the secrets keyward scan stored, matched to the inventory's credentials");
  command->add_option("--format", arguments->format, "Output format: table (fits the terminal) or json (an array of objects)")
      ->transform(CLI::CheckedTransformer(
          std::map<std::string, ExposuresFormat>{{"table", ExposuresFormat::table}, {"json", ExposuresFormat::json}},
          CLI::ignore_case));
  command->add_flag("--matched", arguments->matched_only, "List only exposures that match a credential of the inventory");
  command->add_flag("--active", arguments->active_only,
                    "List only exposures of credentials that are still active (implies --matched)");
  command->callback([arguments, &context] { run_exposures(*arguments, context); });
}

}  // namespace keyward::cli
