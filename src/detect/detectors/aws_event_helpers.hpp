#pragma once

// Helpers the AWS detectors share: reading request parameters, deciding whether a person or a
// machine made a call, building alerts with evidence, and writing containment commands.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/model.hpp"

namespace keyward::detect::aws {

// Long-lived IAM user access keys start with AKIA; temporary (STS) keys start with ASIA.
bool is_long_lived_key(std::string_view access_key_id);

// The access key id when it is long-lived, else "" (temporary keys are not tracked credentials).
std::string long_lived_key_of(const core::Event& event);

// True when a person is behind the call: a console sign-in session, the console user agent, or
// an IAM Identity Center (SSO) permission-set role.
bool is_human_session(const core::Event& event);

// True when the caller is AWS itself: an AWS service principal, a service-linked role, or a
// service acting on the principal's behalf (userIdentity.invokedBy).
bool is_aws_service_caller(const core::Event& event);

// True when a machine made the call: neither a person's session nor AWS acting for itself or on a
// principal's behalf.
bool is_machine_caller(const core::Event& event);

// True when the source address belongs to Amazon: its ASN is one of Amazon's (16509, 14618, 8987,
// 7224) or the enrichment names Amazon as the ASN's organization.
bool is_amazon_network(const core::EventEnrichment& enrichment);

// True when the event came from a public address that the enrichment data places in a known
// network (an ASN) outside Amazon. Private addresses (VPC endpoints), AWS service host names and
// addresses the enrichment data does not cover return false.
bool is_known_network_outside_aws(const core::EventEnrichment& enrichment);

// The UTC date of `time` ("2024-06-03"), for per-day dedupe keys.
std::string day_of(core::UnixTime time);

// Parses the event's requestParameters (or another raw JSON text); a discarded value when the
// text is empty or not JSON.
nlohmann::json parse_json(std::string_view raw_json);

// Returns json[key] when it is a string, else "".
std::string string_field(const nlohmann::json& json, std::string_view key);

// Returns json[key] when it is a boolean, else false.
bool bool_field(const nlohmann::json& json, std::string_view key);

// "iam:CreateAccessKey": the service prefix of eventSource and the event name.
std::string short_action(const core::Event& event);

// The last path segment of an ARN ("redteam-operator" for ...:user/redteam-operator, "root").
std::string arn_resource_name(std::string_view arn);

// Quotes a value taken from a log for use as one shell word, because log fields are not trusted.
std::string shell_word(std::string_view value);

// Evidence pointing at the event's raw record.
core::Evidence make_evidence(const core::Event& event, std::string description);

// An alert about the event's actor with identity, credential and time filled in.
core::Alert make_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                       const core::Event& event);

// The AWS CLI command that stops the actor of `event` from making further calls: deactivate a
// long-lived key, or revoke the role's or user's sessions issued before `event.time`.
std::string containment_command(const core::Event& event);

// A dedupe key stable across re-ingests of the same record: the eventID when logged.
std::string event_dedupe_key(const core::Event& event);

}  // namespace keyward::detect::aws
