#include "sources/aws/cloudtrail_record.hpp"

#include <fmt/format.h>

#include "core/time.hpp"
#include "sources/aws/cloudtrail_identity.hpp"

namespace keyward::sources::aws {
namespace {

using simdjson::error_code;
using simdjson::ondemand::json_type;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

// Reads a string field. Null and other types leave `out` empty: CloudTrail writes null for
// fields it has no value for, and a wrong type in an optional field is no reason to drop a record.
error_code read_string(value field, std::string_view& out) {
  json_type type;
  if (auto error = field.type().get(type)) return error;
  if (type != json_type::string) return simdjson::SUCCESS;
  return field.get_string().get(out);
}

// Reads a flag that CloudTrail writes as a JSON boolean or as the string "true".
error_code read_flag(value field, bool& out) {
  json_type type;
  if (auto error = field.type().get(type)) return error;
  if (type == json_type::boolean) return field.get_bool().get(out);
  if (type != json_type::string) return simdjson::SUCCESS;
  std::string_view text;
  if (auto error = field.get_string().get(text)) return error;
  out = text == "true";
  return simdjson::SUCCESS;
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\r' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// Returns the raw JSON text of a nested value; null gives "".
error_code read_raw_json(value field, std::string_view& out) {
  json_type type;
  if (auto error = field.type().get(type)) return error;
  switch (type) {
    case json_type::object: {
      object nested;
      if (auto error = field.get_object().get(nested)) return error;
      return nested.raw_json().get(out);
    }
    case json_type::array: {
      simdjson::ondemand::array nested;
      if (auto error = field.get_array().get(nested)) return error;
      return nested.raw_json().get(out);
    }
    case json_type::null:
      out = {};
      return simdjson::SUCCESS;
    default:
      out = trim(field.raw_json_token());
      return simdjson::SUCCESS;
  }
}

// Walks an object's fields, calling `on_field(key, value)` for each; stops at the first error.
template <class OnField>
error_code for_each_field(value field, OnField&& on_field) {
  json_type type;
  if (auto error = field.type().get(type)) return error;
  if (type != json_type::object) return simdjson::SUCCESS;
  object fields;
  if (auto error = field.get_object().get(fields)) return error;
  for (auto entry : fields) {
    std::string_view key;
    if (auto error = entry.unescaped_key().get(key)) return error;
    value nested;
    if (auto error = entry.value().get(nested)) return error;
    if (auto error = on_field(key, nested)) return error;
  }
  return simdjson::SUCCESS;
}

std::string invalid_json_message(error_code error) {
  return fmt::format(
      "record is not valid JSON ({}); it was skipped. Check that the file was not altered after "
      "CloudTrail wrote it",
      simdjson::error_message(error));
}

}  // namespace

std::string RecordReader::read(std::string_view data, size_t begin, size_t end, core::Event& event) {
  event = core::Event{};
  issuer_type_ = {};
  issuer_arn_ = {};
  const size_t capacity = data.size() - begin + simdjson::SIMDJSON_PADDING;
  simdjson::ondemand::document document;
  if (auto error = parser_.iterate(data.data() + begin, end - begin, capacity).get(document)) {
    return invalid_json_message(error);
  }
  object record;
  if (auto error = document.get_object().get(record)) return invalid_json_message(error);

  Pending pending;
  for (auto entry : record) {
    std::string_view key;
    if (auto error = entry.unescaped_key().get(key)) return invalid_json_message(error);
    value field;
    if (auto error = entry.value().get(field)) return invalid_json_message(error);
    if (auto error = read_field(key, field, event, pending)) return invalid_json_message(error);
  }

  if (!pending.has_time) {
    return "record has no eventTime string; every CloudTrail record has one, so check that this input "
           "is CloudTrail (an S3 delivery file, a JSON array of records, or one record per line)";
  }
  const auto time = core::parse_time(pending.event_time);
  if (!time) {
    return fmt::format("eventTime \"{}\" is not an ISO 8601 time such as 2024-07-30T21:53:13Z; fix or remove the record",
                       pending.event_time.substr(0, 64));
  }
  event.time = *time;
  if (event.event_name.empty()) {
    return "record has no eventName; every CloudTrail record has one, so check that this input is CloudTrail";
  }
  if (event.account_id.empty()) event.account_id = pending.recipient_account_id;
  event.raw_record = data.substr(begin, end - begin);
  if (!event.additional_event_data.empty() && mfa_used_in(event.additional_event_data, data)) {
    event.mfa_authenticated = true;
  }

  UserIdentityFields identity{event.identity_type, event.principal_arn, event.account_id, event.principal_id,
                              event.user_name,     event.invoked_by,    issuer_type_,     issuer_arn_};
  event.identity_id = normalize_identity_id(identity);
  return {};
}

error_code RecordReader::read_field(std::string_view key, value field, core::Event& event, Pending& pending) {
  if (key == "eventTime") {
    json_type type;
    if (auto error = field.type().get(type)) return error;
    pending.has_time = type == json_type::string;
    return read_string(field, pending.event_time);
  }
  if (key == "eventName") return read_string(field, event.event_name);
  if (key == "eventSource") return read_string(field, event.event_source);
  if (key == "eventID") return read_string(field, event.event_id);
  if (key == "eventType") return read_string(field, event.event_type);
  if (key == "awsRegion") return read_string(field, event.region);
  if (key == "sourceIPAddress") return read_string(field, event.source_ip);
  if (key == "userAgent") return read_string(field, event.user_agent);
  if (key == "errorCode") return read_string(field, event.error_code);
  if (key == "errorMessage") return read_string(field, event.error_message);
  if (key == "recipientAccountId") return read_string(field, pending.recipient_account_id);
  if (key == "readOnly") return read_flag(field, event.read_only);
  if (key == "sessionCredentialFromConsole") return read_flag(field, event.session_credential_from_console);
  if (key == "userIdentity") return read_user_identity(field, event);
  if (key == "requestParameters") return read_raw_json(field, event.request_parameters);
  if (key == "responseElements") return read_raw_json(field, event.response_elements);
  if (key == "additionalEventData") return read_raw_json(field, event.additional_event_data);
  return simdjson::SUCCESS;
}

error_code RecordReader::read_user_identity(value field, core::Event& event) {
  auto read_session_context = [&](std::string_view key, value nested) -> error_code {
    if (key == "attributes") {
      return for_each_field(nested, [&](std::string_view name, value attribute) -> error_code {
        if (name == "mfaAuthenticated") return read_flag(attribute, event.mfa_authenticated);
        return simdjson::SUCCESS;
      });
    }
    if (key == "sessionIssuer") {
      return for_each_field(nested, [&](std::string_view name, value issuer) -> error_code {
        if (name == "type") return read_string(issuer, issuer_type_);
        if (name == "arn") return read_string(issuer, issuer_arn_);
        return simdjson::SUCCESS;
      });
    }
    return simdjson::SUCCESS;
  };

  return for_each_field(field, [&](std::string_view key, value nested) -> error_code {
    if (key == "type") return read_string(nested, event.identity_type);
    if (key == "arn") return read_string(nested, event.principal_arn);
    if (key == "accountId") return read_string(nested, event.account_id);
    if (key == "principalId") return read_string(nested, event.principal_id);
    if (key == "userName") return read_string(nested, event.user_name);
    if (key == "accessKeyId") return read_string(nested, event.access_key_id);
    if (key == "invokedBy") return read_string(nested, event.invoked_by);
    if (key == "sessionContext") return for_each_field(nested, read_session_context);
    return simdjson::SUCCESS;
  });
}

bool RecordReader::mfa_used_in(std::string_view additional_event_data, std::string_view data) {
  // ConsoleLogin records report whether MFA was used in additionalEventData.MFAUsed.
  if (additional_event_data.find("\"MFAUsed\"") == std::string_view::npos) return false;
  // The raw text lies inside `data`, so the input's padding also pads it.
  const size_t offset = static_cast<size_t>(additional_event_data.data() - data.data());
  const size_t capacity = data.size() - offset + simdjson::SIMDJSON_PADDING;
  simdjson::ondemand::document document;
  if (nested_parser_.iterate(additional_event_data.data(), additional_event_data.size(), capacity).get(document)) {
    return false;
  }
  object fields;
  if (document.get_object().get(fields)) return false;
  std::string_view used;
  if (fields.find_field_unordered("MFAUsed").get_string().get(used)) return false;
  return used == "Yes";
}

}  // namespace keyward::sources::aws
