#pragma once

// One activity record as sources hand it to the detection engine. String fields are views into
// the source's parse buffer: they are valid only during the EventSink::on_event call, so anything
// kept longer must be copied.

#include <cstdint>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace keyward::core {

// Network and client facts added by enrich/ before detectors run.
struct EventEnrichment {
  bool ip_valid = false;        // source_ip parsed strictly as IPv4 or IPv6
  bool ip_public = false;       // routable on the internet (not private, loopback, reserved)
  std::string country;          // ISO 3166-1 alpha-2, empty when unknown
  std::string city;
  double latitude = 0, longitude = 0;
  int accuracy_radius_km = -1;  // -1 when the database gives none
  std::uint32_t asn = 0;        // 0 when unknown
  std::string asn_org;
  std::string network_class;    // "cloud", "hosting", "vpn", "tor", "residential", "" when unknown
  std::string user_agent_family;  // "aws-cli", "aws-sdk-python", "terraform", "console", ...
  bool user_agent_offensive = false;
};

// Who is behind an event's actor, where the source can tell from the record itself.
enum class ActorKind {
  unknown,
  machine,  // a token, key, service account, service principal or app
  human,    // a person's interactive session
};

// Sources of other platforms map their log fields onto the same names: event_source is the
// service ("iam.googleapis.com"), event_name the method or event type, identity_id the acting
// identity's id as stored in the inventory. A new string_view member must also be listed in
// core/owned_event.cpp, which copies events that are kept past on_event.
struct Event {
  std::string_view platform = "aws";
  UnixTime time = 0;
  std::string_view event_id;
  std::string_view event_source;  // "iam.amazonaws.com"
  std::string_view event_name;    // "CreateAccessKey"
  std::string_view event_type;    // "AwsApiCall", "AwsConsoleSignIn", ...
  std::string_view region;
  std::string_view source_ip;     // may be a hostname such as "iam.amazonaws.com" for AWS services
  std::string_view user_agent;
  std::string_view error_code;    // empty on success
  std::string_view error_message;
  bool read_only = false;

  // The actor. identity_id is the stable principal id: the IAM user or role ARN (an assumed-role
  // session ARN is mapped to its role ARN), or the root ARN.
  std::string_view identity_type;  // userIdentity.type: "IAMUser", "AssumedRole", "Root", ...
  std::string_view principal_arn;  // userIdentity.arn as logged
  std::string identity_id;         // normalized; owned because it is derived
  std::string_view principal_id;
  std::string_view user_name;      // userIdentity.userName, for IAM users
  std::string_view access_key_id;  // "AKIA..." long-lived, "ASIA..." temporary
  // The long-lived credential presented, on platforms other than AWS: a GCP service account key
  // name, an Entra client secret or certificate key id, a token's id. Empty when the log names
  // none. AWS events use access_key_id instead.
  std::string_view credential_id;
  std::string_view account_id;
  // Set by sources that can tell from the record (Okta actor type, Entra sign-in category, ...).
  // AWS events leave it unknown: detectors there use aws::is_human_session.
  ActorKind actor_kind = ActorKind::unknown;
  // OAuth scopes or token scopes the record lists, space- or comma-separated as logged.
  std::string_view scopes;
  std::string_view invoked_by;     // set when an AWS service acted on the principal's behalf
  bool mfa_authenticated = false;
  // The session's temporary credentials were issued to an AWS Management Console sign-in
  // (CloudTrail's sessionCredentialFromConsole), so a person is behind the call.
  bool session_credential_from_console = false;

  // Raw JSON text of the nested objects, parsed again only by detectors that need them.
  std::string_view request_parameters;
  std::string_view response_elements;
  std::string_view additional_event_data;
  // The whole record as raw JSON text, for detectors that read platform-specific fields. Empty
  // when the source does not provide it (CSV sources).
  std::string_view raw_record;

  // Location of the record: input file name and byte offset of the record's start.
  std::string_view file;
  long long offset = -1;

  EventEnrichment enrichment;
};

// Receives events in input order. Implementations are not required to be thread-safe.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_event(Event& event) = 0;
};

}  // namespace keyward::core
