#include "posture/mutes.hpp"

#include <fmt/format.h>
#include <fnmatch.h>

#include <algorithm>
#include <cctype>

#include "config/yaml.hpp"

namespace keyward::posture {
namespace {

constexpr std::string_view kMuteKeys[] = {"rule", "platform", "identity", "vendor", "tags", "reason", "expires"};

constexpr std::string_view kExample =
    "mutes:\n"
    "  - rule: \"aws.access_key.*\"\n"
    "    identity: \"ci-*\"\n"
    "    reason: \"CI keys are rotated by the pipeline\"\n"
    "    expires: 2025-12-31";

bool glob_matches(const std::string& pattern, const std::string& text, int flags = 0) {
  return ::fnmatch(pattern.c_str(), text.c_str(), flags) == 0;
}

bool is_date_only(std::string_view text) {
  return text.size() == 10 && text[4] == '-' && text[7] == '-';
}

std::optional<TagMatch> parse_tag_match(std::string_view text) {
  const size_t equals = text.find('=');
  TagMatch match;
  match.key = std::string(text.substr(0, equals));
  if (equals != std::string_view::npos) match.value = std::string(text.substr(equals + 1));
  if (match.key.empty()) return std::nullopt;
  return match;
}

// Reads a scalar field of an entry, rejecting lists, mappings and empty values.
core::Result<std::string> read_text(const YAML::Node& value, std::string_view key, const std::string& file) {
  if (!value.IsScalar() || value.Scalar().empty()) {
    return config::yaml_error(file, value,
                              fmt::format("'{}' must be a non-empty text value, not {}", key, config::describe_node_type(value)));
  }
  return value.Scalar();
}

core::Status read_tags(const YAML::Node& value, const std::string& file, std::vector<TagMatch>& tags) {
  const std::string hint = "write tags as a list of \"key\" or \"key=value\", e.g. tags: [\"env=sandbox\", \"temporary\"]";
  if (value.IsMap()) {
    for (const auto& item : value) {
      TagMatch match;
      match.key = item.first.as<std::string>();
      if (item.second.IsScalar() && !item.second.Scalar().empty()) match.value = item.second.Scalar();
      tags.push_back(std::move(match));
    }
    return {};
  }
  if (!value.IsSequence() || value.size() == 0) {
    return config::yaml_error(file, value, fmt::format("'tags' is {}; {}", config::describe_node_type(value), hint));
  }
  for (const auto& item : value) {
    auto match = item.IsScalar() ? parse_tag_match(item.Scalar()) : std::nullopt;
    if (!match) return config::yaml_error(file, item, fmt::format("invalid tag condition; {}", hint));
    tags.push_back(std::move(*match));
  }
  return {};
}

core::Result<Mute> read_mute(const YAML::Node& entry, size_t number, const std::string& file) {
  if (!entry.IsMap()) {
    return config::yaml_error(file, entry,
                              fmt::format("mute {} is {}, not a mapping; each mute is a list item such as\n{}", number,
                                          config::describe_node_type(entry), kExample));
  }
  Mute mute;
  mute.file = file;
  mute.line = entry.Mark().is_null() ? -1 : entry.Mark().line + 1;
  for (const auto& item : entry) {
    const std::string key = item.first.as<std::string>();
    const YAML::Node& value = item.second;
    if (std::find(std::begin(kMuteKeys), std::end(kMuteKeys), key) == std::end(kMuteKeys)) {
      return config::yaml_error(file, item.first,
                                fmt::format("unknown key '{}' in mute {}; use {}", key, number, fmt::join(kMuteKeys, ", ")));
    }
    if (key == "tags") {
      if (auto status = read_tags(value, file, mute.tags); !status) return status.error();
      continue;
    }
    auto text = read_text(value, key, file);
    if (!text) return text.error();
    if (key == "rule") mute.rule = *text;
    if (key == "identity") mute.identity = *text;
    if (key == "vendor") mute.vendor = *text;
    if (key == "reason") mute.reason = *text;
    if (key == "platform") {
      mute.platform = *text;
      std::transform(mute.platform.begin(), mute.platform.end(), mute.platform.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!config::is_known_platform(mute.platform)) {
        return config::yaml_error(file, value, fmt::format("unknown platform '{}' in mute {}; use one of {}", *text, number,
                                                           fmt::join(config::known_platforms(), ", ")));
      }
    }
    if (key == "expires") {
      mute.expires = parse_mute_expiry(*text);
      if (!mute.expires) {
        return config::yaml_error(file, value,
                                  fmt::format("invalid expires '{}' in mute {}; use a date (2025-12-31) or an RFC 3339 "
                                              "time (2025-12-31T18:00:00Z)",
                                              *text, number));
      }
    }
  }
  if (mute.reason.empty()) {
    return config::yaml_error(file, entry,
                              fmt::format("mute {} has no 'reason'; add one that says why the risk is accepted, e.g. "
                                          "reason: \"sandbox account without production data\"",
                                          number));
  }
  if (mute.rule.empty() && mute.platform.empty() && mute.identity.empty() && mute.vendor.empty() && mute.tags.empty()) {
    return config::yaml_error(file, entry,
                              fmt::format("mute {} would match every finding; add rule, platform, identity, vendor or tags",
                                          number));
  }
  return mute;
}

core::Result<std::vector<Mute>> read_mutes(const YAML::Node& root, const std::string& path) {
  std::vector<Mute> mutes;
  if (root.IsNull()) return mutes;
  if (!root.IsMap()) {
    return config::yaml_error(path, root, fmt::format("a mute file is a mapping with a 'mutes' list, such as\n{}", kExample));
  }
  for (const auto& item : root) {
    const std::string key = item.first.as<std::string>();
    if (key != "mutes") {
      return config::yaml_error(path, item.first,
                                fmt::format("unknown key '{}'; a mute file has one key, 'mutes', a list such as\n{}", key,
                                            kExample));
    }
    const YAML::Node& list = item.second;
    if (list.IsNull()) continue;
    if (!list.IsSequence()) {
      return config::yaml_error(path, list, fmt::format("'mutes' is {}, not a list; write it as\n{}",
                                                        config::describe_node_type(list), kExample));
    }
    size_t number = 0;
    for (const auto& entry : list) {
      auto mute = read_mute(entry, ++number, path);
      if (!mute) return mute.error();
      mutes.push_back(std::move(*mute));
    }
  }
  return mutes;
}

}  // namespace

std::optional<core::UnixTime> parse_mute_expiry(std::string_view text) {
  auto time = core::parse_time(text);
  if (!time) return std::nullopt;
  return is_date_only(text) ? *time + core::kSecondsPerDay : *time;
}

IdentityTags collect_identity_tags(const std::vector<core::Identity>& identities) {
  IdentityTags result;
  for (const auto& identity : identities) {
    const auto tags = identity.attributes.find("tags");
    if (tags == identity.attributes.end() || !tags->is_object()) continue;
    auto& entry = result[{identity.platform, identity.id}];
    for (const auto& [key, value] : tags->items()) {
      if (value.is_string()) entry[key] = value.get<std::string>();
    }
  }
  return result;
}

core::Result<std::vector<Mute>> load_mutes(const std::string& path) {
  auto document = config::load_yaml_file(path);
  if (!document) return document.error();
  try {
    return read_mutes(*document, path);
  } catch (const YAML::Exception& exception) {
    return config::yaml_exception_error(path, exception);
  }
}

core::Result<std::vector<Mute>> parse_mutes(std::string_view yaml, const std::string& file) {
  auto document = config::parse_yaml(yaml, file);
  if (!document) return document.error();
  try {
    return read_mutes(*document, file);
  } catch (const YAML::Exception& exception) {
    return config::yaml_exception_error(file, exception);
  }
}

bool mute_matches(const Mute& mute, const core::Finding& finding, const IdentityTags& tags) {
  if (!mute.rule.empty() && !glob_matches(mute.rule, finding.rule)) return false;
  if (!mute.platform.empty() && mute.platform != finding.identity.platform) return false;
  if (!mute.identity.empty() && !glob_matches(mute.identity, finding.identity.id) &&
      !glob_matches(mute.identity, finding.identity.name)) {
    return false;
  }
  if (!mute.vendor.empty() && !glob_matches(mute.vendor, finding.context.vendor, FNM_CASEFOLD)) return false;
  if (mute.tags.empty()) return true;

  const auto identity_tags = tags.find({finding.identity.platform, finding.identity.id});
  if (identity_tags == tags.end()) return false;
  for (const auto& condition : mute.tags) {
    const auto tag = identity_tags->second.find(condition.key);
    if (tag == identity_tags->second.end()) return false;
    if (condition.value && tag->second != *condition.value) return false;
  }
  return true;
}

MuteOutcome apply_mutes(std::vector<core::Finding>& findings, const std::vector<Mute>& mutes, core::UnixTime as_of,
                        const IdentityTags& tags) {
  MuteOutcome outcome;
  std::vector<const Mute*> active;
  for (const auto& mute : mutes) {
    if (mute.expires && *mute.expires <= as_of) {
      outcome.expired.push_back(mute);
    } else {
      active.push_back(&mute);
    }
  }
  for (auto& finding : findings) {
    if (finding.status != core::FindingStatus::open && finding.status != core::FindingStatus::acknowledged) continue;
    for (const Mute* mute : active) {
      if (!mute_matches(*mute, finding, tags)) continue;
      finding.status = core::FindingStatus::muted;
      finding.status_reason = "mute: " + mute->reason;
      finding.status_until = mute->expires;
      ++outcome.muted;
      break;
    }
  }
  return outcome;
}

std::string describe_expired_mute(const Mute& mute) {
  const std::string expiry = mute.expires ? core::format_time(*mute.expires) : "-";
  return fmt::format("{}:{}: mute expired at {} (reason: {}); findings it matched are open again, so remove the entry "
                     "or set a later 'expires'",
                     mute.file, mute.line, expiry, mute.reason);
}

}  // namespace keyward::posture
