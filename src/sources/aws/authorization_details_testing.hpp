#pragma once

// Test helpers, included only by tests. They run an authorization-details export through the
// real source and return the posture inventory that IAM checks read, without a store or engine,
// and they read the check examples that embed such an export.

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "posture/check.hpp"
#include "sources/aws/authorization_details_source.hpp"

namespace keyward::sources::aws::testing {

struct LoadedExport {
  posture::Inventory inventory;
  std::vector<RecordError> errors;  // records the source skipped
};

class DiscardEvents : public core::EventSink {
 public:
  void on_event(core::Event& /*event*/) override {}
};

inline core::Result<std::string> read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return core::make_error(core::ErrorCode::not_found, "cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// Parses export text; `path` names it in errors. Returns an error when the source rejects the
// input as a whole.
inline core::Result<LoadedExport> load_export_text(const std::string& text, const std::string& path) {
  LoadedExport loaded;
  store::Batch batch;
  DiscardEvents events;
  ParseContext ctx{batch, events, loaded.errors, 0, std::nullopt, 0, {}};
  core::Status status = AuthorizationDetailsSource().parse(Input{path, text}, ctx);
  if (!status.ok()) return status.error();

  loaded.inventory.identities = std::move(batch.identities);
  for (auto& grant : batch.grants) loaded.inventory.grants[grant.identity_id].push_back(std::move(grant));
  return loaded;
}

inline core::Result<LoadedExport> load_export_file(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  return load_export_text(*text, path);
}

// A check example in the format of posture/check_examples.hpp whose input is an export under
// the key "authorization_details".
struct Example {
  std::string description;
  std::string export_text;
  std::vector<std::string> expected_identities;  // names from "expect", in file order
};

inline core::Result<Example> read_example(const std::string& path) {
  auto text = read_text(path);
  if (!text) return text.error();
  nlohmann::json example = nlohmann::json::parse(*text, nullptr, false);
  if (example.is_discarded() || !example.is_object() || !example.contains("authorization_details") ||
      !example.contains("expect") || !example["expect"].is_array()) {
    return core::make_error(core::ErrorCode::invalid_input,
                            path + ": expected an object with authorization_details and an expect array");
  }
  Example result;
  result.description = example.value("description", "");
  result.export_text = example["authorization_details"].dump();
  for (const auto& expected : example["expect"]) result.expected_identities.push_back(expected.value("identity", ""));
  return result;
}

}  // namespace keyward::sources::aws::testing
