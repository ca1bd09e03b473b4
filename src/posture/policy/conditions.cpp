#include "posture/policy/conditions.hpp"

#include <fmt/format.h>

#include <cstdlib>
#include <optional>

#include "posture/policy/wildcard.hpp"

namespace keyward::posture::policy {
namespace {

using nlohmann::json;

std::string lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool is_user(const core::Identity& identity) { return identity.kind == "iam_user"; }

// One value set a key may have in a request: nullopt when the key is absent from the request.
using KeyValues = std::optional<std::vector<std::string>>;

// Resolution of a condition key for the attacker's requests.
struct KeyResolution {
  enum class Kind { choices, attacker_chosen, unknown } kind = Kind::unknown;
  // For choices: every value set the attacker can pick from; one entry when the value is fixed.
  std::vector<KeyValues> choices;
};

KeyResolution fixed(KeyValues values) { return {KeyResolution::Kind::choices, {std::move(values)}}; }
KeyResolution absent() { return fixed(std::nullopt); }
KeyResolution unknown() { return {}; }
KeyResolution attacker_chosen() { return {KeyResolution::Kind::attacker_chosen, {}}; }

std::optional<std::string> principal_tag(const core::Identity& identity, std::string_view key) {
  auto tags = identity.attributes.find("tags");
  if (tags == identity.attributes.end() || !tags->is_object()) return std::nullopt;
  std::string wanted = lower(key);
  for (const auto& [name, value] : tags->items()) {
    if (lower(name) == wanted && value.is_string()) return value.get<std::string>();
  }
  return std::nullopt;
}

// Keys whose value the caller sets on its own request, so the attacker can always pick one that
// meets an Allow or misses a Deny.
bool is_attacker_chosen(const std::string& key) {
  static const char* const kKeys[] = {"aws:securetransport", "aws:useragent",   "aws:referer",
                                      "aws:tagkeys",         "aws:calledvia",   "aws:calledviafirst",
                                      "aws:calledvialast",   "aws:viaawsservice", "sts:rolesessionname"};
  for (const char* candidate : kKeys) {
    if (key == candidate) return true;
  }
  return key.starts_with("aws:requesttag/");
}

KeyResolution resolve_time_key(const std::string& key, const RequestContext& context) {
  if (context.as_of == 0) return unknown();
  if (key == "aws:currenttime") return fixed(std::vector<std::string>{core::format_time(context.as_of)});
  if (key == "aws:epochtime") return fixed(std::vector<std::string>{std::to_string(context.as_of)});
  // aws:TokenIssueTime: the attacker can mint session credentials now (sts:GetSessionToken needs
  // no permission) or use ones issued up to kMaxSessionSeconds ago. Long-term user access keys
  // carry no token, so for a user the key may also be absent.
  KeyResolution resolution{KeyResolution::Kind::choices, {}};
  resolution.choices.push_back(std::vector<std::string>{core::format_time(context.as_of - kMaxSessionSeconds)});
  resolution.choices.push_back(std::vector<std::string>{core::format_time(context.as_of)});
  if (context.principal != nullptr && is_user(*context.principal)) resolution.choices.push_back(std::nullopt);
  return resolution;
}

KeyResolution resolve_principal_key(const std::string& key, const core::Identity& principal) {
  bool user = is_user(principal);
  if (key == "aws:principalarn") return fixed(std::vector<std::string>{principal.id});
  if (key == "aws:principalaccount") return fixed(std::vector<std::string>{principal.account});
  if (key == "aws:username") return user ? fixed(std::vector<std::string>{principal.name}) : absent();
  if (key == "aws:principaltype") return fixed(std::vector<std::string>{user ? "User" : "AssumedRole"});
  if (key == "aws:principalisawsservice") return fixed(std::vector<std::string>{"false"});
  if (key == "aws:principalservicename") return absent();
  if (key.starts_with("aws:principaltag/")) {
    auto value = principal_tag(principal, std::string_view(key).substr(std::string_view("aws:principaltag/").size()));
    return value ? fixed(std::vector<std::string>{*value}) : absent();
  }
  // A non-human identity signs requests with access keys or role sessions that carry no MFA:
  // long-term user keys omit the MFA keys, role sessions report "false".
  if (principal.classification != core::Classification::human) {
    if (key == "aws:multifactorauthpresent") return user ? absent() : fixed(std::vector<std::string>{"false"});
    if (key == "aws:multifactorauthage") return absent();
  }
  return unknown();
}

KeyResolution resolve_key(const std::string& key, std::string_view action, const RequestContext& context) {
  if (key == "aws:currenttime" || key == "aws:epochtime" || key == "aws:tokenissuetime") {
    return resolve_time_key(key, context);
  }
  if (key == "iam:passedtoservice") {
    if (context.passed_to_service.empty()) return absent();
    return fixed(std::vector<std::string>{context.passed_to_service});
  }
  if (key == "aws:requestedregion") {
    // IAM is a global service whose requests are served in us-east-1, so a region condition
    // decides IAM actions; for regional services the attacker picks the region.
    if (lower(action).starts_with("iam:")) return fixed(std::vector<std::string>{"us-east-1"});
    return attacker_chosen();
  }
  if (is_attacker_chosen(key)) return attacker_chosen();
  if (context.principal != nullptr) return resolve_principal_key(key, *context.principal);
  return unknown();
}

std::vector<std::string> condition_values(const json& value) {
  std::vector<std::string> out;
  auto add = [&out](const json& item) {
    if (item.is_string()) {
      out.push_back(item.get<std::string>());
    } else if (item.is_boolean()) {
      out.push_back(item.get<bool>() ? "true" : "false");
    } else if (item.is_number()) {
      out.push_back(item.dump());
    }
  };
  if (value.is_array()) {
    for (const auto& item : value) add(item);
  } else {
    add(value);
  }
  return out;
}

// A condition operator split into its parts: "ForAllValues:StringNotLikeIfExists" has set
// qualifier ForAllValues, base StringLike, negated and if_exists.
struct Operator {
  enum class Set { single, any_value, all_values } set = Set::single;
  std::string base;  // lower case, without "Not", "IfExists" and the set qualifier
  bool negated = false;
  bool if_exists = false;
};

Operator parse_operator(std::string_view text) {
  Operator op;
  std::string name = lower(text);
  if (name.starts_with("foranyvalue:")) {
    op.set = Operator::Set::any_value;
    name = name.substr(12);
  } else if (name.starts_with("forallvalues:")) {
    op.set = Operator::Set::all_values;
    name = name.substr(13);
  }
  if (name.ends_with("ifexists")) {
    op.if_exists = true;
    name.resize(name.size() - 8);
  }
  static const std::pair<const char*, const char*> kNegations[] = {
      {"stringnotequalsignorecase", "stringequalsignorecase"},
      {"stringnotequals", "stringequals"},
      {"stringnotlike", "stringlike"},
      {"arnnotequals", "arnequals"},
      {"arnnotlike", "arnlike"},
      {"numericnotequals", "numericequals"},
      {"datenotequals", "dateequals"},
      {"notipaddress", "ipaddress"},
  };
  for (const auto& [negated, positive] : kNegations) {
    if (name == negated) {
      op.negated = true;
      name = positive;
      break;
    }
  }
  op.base = std::move(name);
  return op;
}

std::optional<double> parse_number(const std::string& text) {
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double value = std::strtod(text.c_str(), &end);
  if (end == nullptr || *end != '\0') return std::nullopt;
  return value;
}

// Dates in conditions are ISO 8601 text or seconds since the epoch.
std::optional<double> parse_date(const std::string& text) {
  if (auto time = core::parse_time(text)) return static_cast<double>(*time);
  return parse_number(text);
}

std::optional<bool> compare(std::string_view relation, double left, double right) {
  if (relation == "equals") return left == right;
  if (relation == "lessthan") return left < right;
  if (relation == "lessthanequals") return left <= right;
  if (relation == "greaterthan") return left > right;
  if (relation == "greaterthanequals") return left >= right;
  return std::nullopt;
}

// Whether the key value matches one condition value under the positive form of the operator;
// nullopt for operators this evaluator does not decide (IpAddress, BinaryEquals).
std::optional<bool> value_matches(const std::string& base, const std::string& value, const std::string& expected) {
  if (base == "stringequals") return value == expected;
  if (base == "stringequalsignorecase") return lower(value) == lower(expected);
  if (base == "stringlike" || base == "arnequals" || base == "arnlike") {
    return wildcard_match(expected, value, CaseSensitivity::sensitive);
  }
  if (base == "bool") return lower(value) == lower(expected);
  if (base.starts_with("numeric")) {
    auto left = parse_number(value);
    auto right = parse_number(expected);
    if (!left || !right) return std::nullopt;
    return compare(std::string_view(base).substr(7), *left, *right);
  }
  if (base.starts_with("date")) {
    auto left = parse_date(value);
    auto right = parse_date(expected);
    if (!left || !right) return std::nullopt;
    return compare(std::string_view(base).substr(4), *left, *right);
  }
  return std::nullopt;
}

// Evaluates one operator and key against one value set of the key, as IAM does; nullopt when
// undecided.
std::optional<bool> evaluate_clause(const Operator& op, const KeyValues& values, const std::vector<std::string>& expected) {
  if (op.base == "null") {
    if (expected.empty()) return std::nullopt;
    bool wants_absent = lower(expected.front()) == "true";
    return wants_absent == !values.has_value();
  }
  if (!values) {
    // A missing key meets ...IfExists, ForAllValues and negated operators, and nothing else.
    return op.if_exists || op.set == Operator::Set::all_values || op.negated;
  }
  bool any_true = false;
  bool all_true = true;
  for (const auto& value : *values) {
    bool matched = false;
    for (const auto& candidate : expected) {
      auto match = value_matches(op.base, value, candidate);
      if (!match) return std::nullopt;
      if (*match) {
        matched = true;
        break;
      }
    }
    bool result = op.negated ? !matched : matched;
    any_true = any_true || result;
    all_true = all_true && result;
  }
  if (op.set == Operator::Set::all_values) return all_true;
  return any_true;
}

// Resolves policy variables in condition values; false when one has no value.
bool substitute_values(std::vector<std::string>& values, const RequestContext& context) {
  for (auto& value : values) {
    if (value.find("${") == std::string::npos) continue;
    std::string substituted;
    if (!substitute_policy_variables(value, context, substituted)) return false;
    value = std::move(substituted);
  }
  return true;
}

std::string describe_clause(std::string_view op, std::string_view key, const std::vector<std::string>& values) {
  std::string list;
  for (const auto& value : values) {
    if (!list.empty()) list += ", ";
    list += value;
  }
  return fmt::format("{} {} {}", op, key, list);
}

}  // namespace

ConditionOutcome evaluate_condition(const json& condition, bool deny, std::string_view action,
                                    const RequestContext& context) {
  ConditionOutcome outcome;
  if (condition.is_null() || (condition.is_object() && condition.empty())) return outcome;
  if (!condition.is_object()) {
    return {ConditionResult::unknown, "the Condition block is not an object"};
  }

  std::string unknown_reason;
  std::string met_reason;
  for (const auto& [op_text, keys] : condition.items()) {
    Operator op = parse_operator(op_text);
    if (!keys.is_object()) return {ConditionResult::unknown, fmt::format("{} is not an object", op_text)};
    for (const auto& [key_text, value] : keys.items()) {
      std::vector<std::string> expected = condition_values(value);
      std::string clause = describe_clause(op_text, key_text, expected);
      if (!substitute_values(expected, context)) {
        if (unknown_reason.empty()) unknown_reason = clause + " uses a policy variable without a value";
        continue;
      }
      KeyResolution resolution = resolve_key(lower(key_text), action, context);
      if (resolution.kind == KeyResolution::Kind::attacker_chosen) {
        if (deny) return {ConditionResult::not_met, clause + " depends on a value the caller chooses, so the Deny can be avoided"};
        if (met_reason.empty()) met_reason = clause + " depends on a value the caller chooses";
        continue;
      }
      if (resolution.kind == KeyResolution::Kind::unknown) {
        if (unknown_reason.empty()) unknown_reason = clause + " depends on the request";
        continue;
      }

      // The attacker picks the value set in their favour: one that meets an Allow, or one that
      // misses a Deny.
      bool some_true = false;
      bool some_false = false;
      bool some_unknown = false;
      for (const auto& choice : resolution.choices) {
        auto result = evaluate_clause(op, choice, expected);
        if (!result) {
          some_unknown = true;
        } else if (*result) {
          some_true = true;
        } else {
          some_false = true;
        }
      }
      bool decisive = deny ? some_false : !some_true && !some_unknown;
      if (decisive) {
        return {ConditionResult::not_met,
                deny ? clause + " does not hold for every request of this principal, so the Deny can be avoided"
                     : clause + " cannot hold for this principal's requests"};
      }
      if (deny ? some_unknown : !some_true) {
        if (unknown_reason.empty()) unknown_reason = clause + " could not be decided";
        continue;
      }
      if (met_reason.empty()) met_reason = clause + " holds for this principal's requests";
    }
  }
  if (!unknown_reason.empty()) return {ConditionResult::unknown, unknown_reason};
  return {ConditionResult::met, met_reason};
}

bool substitute_policy_variables(std::string_view pattern, const RequestContext& context, std::string& out) {
  out.clear();
  std::size_t position = 0;
  while (position < pattern.size()) {
    std::size_t start = pattern.find("${", position);
    if (start == std::string_view::npos) {
      out.append(pattern.substr(position));
      break;
    }
    std::size_t end = pattern.find('}', start);
    if (end == std::string_view::npos) {
      out.append(pattern.substr(position));
      break;
    }
    out.append(pattern.substr(position, start - position));
    std::string name = lower(pattern.substr(start + 2, end - start - 2));
    position = end + 1;

    if (name == "*" || name == "?" || name == "$") {
      // NOTE: ${*} and ${?} stand for literal characters, but the result is matched as a glob,
      // so they match any run or any one character.
      out.append(name);
      continue;
    }
    const core::Identity* principal = context.principal;
    if (principal == nullptr) return false;
    if (name == "aws:username" && is_user(*principal)) {
      out.append(principal->name);
    } else if (name == "aws:principalaccount" && !principal->account.empty()) {
      out.append(principal->account);
    } else if (name.starts_with("aws:principaltag/")) {
      auto value = principal_tag(*principal, std::string_view(name).substr(17));
      if (!value) return false;
      out.append(*value);
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace keyward::posture::policy
