#pragma once

// Helpers every detector can use whatever the platform: who acted, what they did, which
// credential they presented, and alerts with evidence and a containment command. Detectors of
// one platform may also use that platform's helpers (detectors/aws_event_helpers.hpp).

#include <string>
#include <string_view>

#include "core/event.hpp"
#include "core/model.hpp"

namespace keyward::detect {

// True when a person is behind the event: the source marked the actor human, or, on AWS, a
// console or IAM Identity Center session.
bool is_human_actor(const core::Event& event);

// True when the platform itself acted (an AWS service on the principal's behalf, a service-linked
// role). Such events come from provider networks that say nothing about the credential's holder.
bool is_provider_internal(const core::Event& event);

// The action for display and baselines: "iam:CreateAccessKey" on AWS, the event or method name
// elsewhere ("system.api_token.create", "google.iam.admin.v1.CreateServiceAccountKey").
std::string action_of(const core::Event& event);

// The long-lived credential the event presented: an AWS AKIA key id, or the source's credential
// id on other platforms. "" for temporary AWS credentials and when the record names none.
std::string credential_of(const core::Event& event);

// An alert about the event's actor with platform, identity, credential and time filled in.
core::Alert make_alert(std::string_view detector, std::string_view title, core::Severity severity, int score,
                       const core::Event& event);

// Evidence pointing at the event's raw record (file, byte offset, record id).
core::Evidence make_evidence(const core::Event& event, std::string description);

// The exact command that stops the event's actor from acting again on its platform: deactivate
// the key, revoke the token or sessions, disable the service principal credential. Values from
// the log are shell-quoted.
std::string containment_command(const core::Event& event);

// Returns a URL taken from a log in a form safe to show: scheme, host and path only. User
// information, the query and the fragment are cut (shown as "?..."), because webhook and callback
// URLs often carry tokens there. Untrusted bytes are made printable.
std::string display_url(std::string_view url);

// A dedupe key stable across re-ingests of the same record: the event id when logged, else the
// identity, action and time.
std::string event_dedupe_key(const core::Event& event);

}  // namespace keyward::detect
