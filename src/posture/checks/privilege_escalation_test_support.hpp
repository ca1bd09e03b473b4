#pragma once

// Test helpers shared by the IAM privilege check tests: they read a check example in the format
// of posture/check_examples.hpp whose input is an `aws-authorization-details` export, and run
// the export through the real source into a posture inventory without a store.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "core/time.hpp"
#include "sources/aws/authorization_details_testing.hpp"

namespace keyward::posture::testing {

struct AuthorizationExample {
  std::string description;
  core::UnixTime as_of = 0;
  std::vector<std::string> expected;  // identity names from "expect", in file order
  sources::aws::testing::LoadedExport loaded;
};

// Reads the example at `path` and parses its aws-authorization-details input. The inventory's
// as_of is the example's, as in a posture run with --as-of.
inline core::Result<AuthorizationExample> load_authorization_example(const std::string& path) {
  auto text = sources::aws::testing::read_text(path);
  if (!text) return text.error();
  nlohmann::json example = nlohmann::json::parse(*text, nullptr, false);
  if (example.is_discarded() || !example.is_object() || !example.contains("inputs") || !example.contains("expect")) {
    return core::make_error(core::ErrorCode::invalid_input, path + ": expected an object with inputs and expect");
  }
  AuthorizationExample result;
  result.description = example.value("description", "");
  if (auto as_of = core::parse_time(example.value("as_of", ""))) result.as_of = *as_of;
  for (const auto& expected : example["expect"]) result.expected.push_back(expected.value("identity", ""));

  const nlohmann::json* content = nullptr;
  for (const auto& input : example["inputs"]) {
    if (input.value("source", "") == "aws-authorization-details" && input.contains("content")) content = &input["content"];
  }
  if (content == nullptr) {
    return core::make_error(core::ErrorCode::invalid_input, path + ": no input with source aws-authorization-details");
  }
  auto loaded = sources::aws::testing::load_export_text(content->dump(), path);
  if (!loaded) return loaded.error();
  result.loaded = std::move(loaded).value();
  result.loaded.inventory.as_of = result.as_of;
  return result;
}

}  // namespace keyward::posture::testing
