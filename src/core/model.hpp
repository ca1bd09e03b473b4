#pragma once

// The normalized records every source produces and every engine reads. Sources fill them from a
// platform's export or log; the store persists them; posture and detection engines read them and
// write findings and alerts.

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace keyward::core {

enum class Severity { info = 0, low = 1, medium = 2, high = 3, critical = 4 };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// Whether a principal is operated by a machine or by a person, decided from evidence.
enum class Classification { machine, human, unknown };

std::string_view to_string(Classification classification);

// A principal that authenticates: an IAM user or role, a service account, an app. Keyed by
// (platform, id), where id is the platform's stable identifier (the ARN for AWS principals).
struct Identity {
  std::string platform;  // "aws"
  std::string id;        // ARN for AWS principals
  std::string kind;      // "iam_user", "iam_role", "service_linked_role", "root"
  std::string name;
  std::string account;   // AWS account id, GCP project, tenant id
  std::string owner;     // the person or team responsible, when the data names one
  std::string vendor;    // publisher of a third-party identity, or empty
  std::optional<UnixTime> created;
  std::optional<UnixTime> last_used;
  std::string status = "active";  // "active", "disabled", "deleted"
  Classification classification = Classification::unknown;
  std::string classification_reason;
  // Platform-specific facts that checks read: for AWS, "password_enabled", "mfa_active",
  // "password_last_used", "groups", "trust_policy", "instance_profiles", "tags".
  nlohmann::json attributes = nlohmann::json::object();
};

// A secret or key that authenticates an identity. The secret itself is never stored: an access
// key id is an identifier, not a secret, and anything secret is kept only as a fingerprint.
struct Credential {
  std::string platform;
  std::string id;           // the access key id, or "<identity id>#access_key_1" when unknown
  std::string identity_id;  // Identity::id of the holder
  std::string kind;         // "aws_access_key", "aws_console_password", "x509_certificate"
  std::string fingerprint;  // keyed hash of the secret when a source saw one, else empty
  std::string status = "active";  // "active", "inactive", "deleted"
  std::optional<UnixTime> created;
  std::optional<UnixTime> last_used;
  std::optional<UnixTime> last_rotated;
  std::optional<UnixTime> expires;
  std::string last_used_service;
  std::string last_used_region;
  nlohmann::json attributes = nlohmann::json::object();
};

// One policy statement that applies to an identity, as the platform expresses it. AWS statements
// keep Action/NotAction and Resource/NotResource so the posture engine can evaluate them exactly.
struct Grant {
  std::string platform;
  std::string identity_id;
  std::string effect = "Allow";  // "Allow" or "Deny"
  std::vector<std::string> actions;
  bool not_action = false;       // true when the statement used NotAction
  std::vector<std::string> resources;
  bool not_resource = false;
  nlohmann::json condition;      // null when the statement has no Condition
  std::string source_policy;     // policy ARN or "inline:<name>", and "group:<name>" when inherited
  std::string via;               // "user", "group:<name>", "role"
};

// Origin of a record: the input file (or "-") and the byte offset of the record in it.
struct SourceRef {
  std::string file;
  long long offset = -1;
  std::string record_id;  // e.g. the CloudTrail eventID
};

// One piece of evidence behind a finding or alert.
struct Evidence {
  std::string description;
  SourceRef source;
  std::optional<UnixTime> time;
};

enum class FindingStatus { open, acknowledged, resolved, muted };
std::string_view to_string(FindingStatus status);

struct IdentityRef {
  std::string platform;
  std::string id;
  std::string name;
};

// A posture finding: a risky configuration that is present as of a point in time.
struct Finding {
  std::string rule;       // stable id, e.g. "aws.access_key.unused"
  std::string title;
  Severity severity = Severity::medium;
  int score = 0;          // 0-100 risk
  std::string owasp;      // OWASP NHI Top 10 (2025) id, e.g. "NHI7"
  IdentityRef identity;
  std::string credential_id;  // empty when the finding is about the identity
  std::vector<Evidence> evidence;
  std::string remediation;
  std::optional<UnixTime> as_of;  // the time ages were computed against
  FindingStatus status = FindingStatus::open;
  std::optional<UnixTime> first_seen;
  std::optional<UnixTime> last_seen;
};

// A threat alert raised by a detector from activity.
struct Alert {
  std::string detector;   // stable id, e.g. "aws.iam.key_created_for_other_user"
  std::string title;
  Severity severity = Severity::medium;
  int score = 0;
  IdentityRef identity;
  std::string credential_id;
  UnixTime time = 0;      // time of the event that raised it
  std::vector<Evidence> evidence;
  std::string remediation;
  // Deduplication key: the same detector raising twice with the same key is one alert.
  std::string dedupe_key;
  FindingStatus status = FindingStatus::open;
};

// Daily activity of one credential (or identity, for temporary credentials): the store keeps
// these counts instead of every event.
struct ActivitySummary {
  std::string platform;
  std::string identity_id;
  std::string credential_id;  // empty for temporary session credentials
  UnixTime day = 0;           // start of the UTC day
  std::string action;         // "iam.amazonaws.com:CreateAccessKey"
  std::string network;        // source IP, or "AS<number>" once enriched
  std::string user_agent_family;
  std::string error_code;     // empty on success
  long long count = 0;
  UnixTime first_seen = 0;
  UnixTime last_seen = 0;
};

}  // namespace keyward::core
