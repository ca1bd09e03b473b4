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
// People from a directory export (Okta, Entra, Workspace users) are identities too, with
// classification human, so that owners can be resolved to their account status.
struct Identity {
  std::string platform;  // "aws", "gcp", "entra", "okta", "github", "workspace", ...
  std::string id;        // ARN for AWS principals; see docs/sources/<platform>.md for others
  std::string kind;      // "iam_user", "gcp_service_account", "entra_service_principal", ...
  std::string name;
  std::string account;   // AWS account id, GCP project, tenant id, GitHub organization
  std::string owner;     // the person or team responsible, when the data names one
  std::string vendor;    // publisher of a third-party identity, or empty
  std::optional<UnixTime> created;
  std::optional<UnixTime> last_used;
  // "active", "disabled", "deleted"; people also "suspended", "deprovisioned"
  std::string status = "active";
  Classification classification = Classification::unknown;
  std::string classification_reason;
  // Platform-specific facts that checks read: for AWS, "password_enabled", "mfa_active",
  // "password_last_used", "groups", "trust_policy", "instance_profiles", "tags". The keys in
  // namespace attribute below mean the same on every platform.
  nlohmann::json attributes = nlohmann::json::object();
};

// Identity and credential attribute keys shared by all platforms. The store merges attributes
// key by key, so two exports can each add what they know about the same identity.
namespace attribute {
// Array of strings: other ids of the same identity on its platform (an Entra service principal's
// object id, a GCP service account's numeric unique id, an OAuth client id). Credentials, grants
// and activity recorded under an alias are attached to the identity when the inventory loads.
inline constexpr std::string_view kAliases = "aliases";
// String: the publisher as the platform names it; Identity::vendor holds the normalized name.
inline constexpr std::string_view kPublisher = "publisher";
// Bool: the platform verified the publisher (Entra verifiedPublisher, Google verified app).
inline constexpr std::string_view kPublisherVerified = "publisher_verified";
// Bool: the identity is operated by another organization (an installed third-party app).
inline constexpr std::string_view kThirdParty = "third_party";
// Array of strings: people (email or login) who authorized, installed or approved the app.
inline constexpr std::string_view kConnectedBy = "connected_by";
// Bool: created by an individual developer for automation (a PAT, deploy key, personal API
// token) rather than provisioned as a service identity: shadow engineering access.
inline constexpr std::string_view kShadow = "shadow";
// String: the person or principal that created the identity or credential, when logged.
inline constexpr std::string_view kCreatedBy = "created_by";
// Array of strings: raw OAuth scopes or role names as granted, for display.
inline constexpr std::string_view kScopes = "scopes";
// String: "read", "write" or "admin" when the source states the level of the identity as a
// whole (an Okta API token acts with its creator's admin role). Grants carry their own level.
inline constexpr std::string_view kPrivilege = "privilege";
// String: a person's email address, on human directory identities.
inline constexpr std::string_view kEmail = "email";
// String: a person's login name when it differs from the email.
inline constexpr std::string_view kLogin = "login";
}  // namespace attribute

// A secret or key that authenticates an identity. The secret itself is never stored: an access
// key id is an identifier, not a secret, and anything secret is kept only as a fingerprint.
struct Credential {
  std::string platform;
  std::string id;           // the access key id, or "<identity id>#access_key_1" when unknown
  std::string identity_id;  // Identity::id of the holder
  std::string kind;         // "aws_access_key", "gcp_service_account_key", "entra_client_secret", ...
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

// One policy statement, role binding, OAuth scope or app permission that applies to an identity,
// as the platform expresses it. AWS statements keep Action/NotAction and Resource/NotResource so
// the posture engine can evaluate them exactly; other platforms put the role or scope in actions.
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
  // Normalized level of what the grant allows: "read", "write", "admin", or empty when the
  // source cannot tell. The raw role or scope stays in actions.
  std::string level;
  std::string resource_type;     // "project", "repository", "organization", "mailbox", ...
  std::string granted_by;        // person who consented, approved or bound it, when logged
  // The export that wrote the grant, e.g. "entra.oauth2PermissionGrants". A later batch from the
  // same export replaces the identity's grants of that origin only (see store::GrantReplacement).
  std::string origin;
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
// One part of a finding's risk score, e.g. {"privilege", 20, "administrator: AdministratorAccess"}.
struct RiskFactor {
  std::string name;
  int points = 0;
  std::string detail;
};

// Business context of a finding's identity, from the inventory.
struct FindingContext {
  std::string owner;         // the owner's email or name, or the recorded reference
  std::string owner_status;  // "active", "suspended", "deprovisioned", "unknown", "none"
  std::string team;          // from a team/department tag or group, else ""
  std::string vendor;
  std::string environment;   // "production", "staging", "development", ... or "" when unknown
  std::vector<std::string> connects_to;  // resources, apps or accounts it reaches
};

struct Finding {
  std::string rule;       // stable id, e.g. "aws.access_key.unused"
  std::string title;
  Severity severity = Severity::medium;
  int score = 0;          // 0-100 risk
  std::string owasp;      // OWASP NHI Top 10 (2025) id, e.g. "NHI7"
  IdentityRef identity;
  std::string credential_id;  // empty when the finding is about the identity
  std::vector<Evidence> evidence;
  std::string remediation;                     // what to do, in one or two sentences
  std::vector<std::string> remediation_steps;  // exact CLI/API calls or console paths, in order
  std::vector<std::string> check_first;        // what to verify first so nothing breaks
  std::optional<bool> safe_now;  // whether applying the fix now cannot break a consumer
  std::string safe_reason;       // why it is or is not safe now
  std::vector<RiskFactor> risk_factors;  // the parts of score, filled by the engine
  FindingContext context;                // filled by the engine
  std::optional<UnixTime> as_of;  // the time ages were computed against
  FindingStatus status = FindingStatus::open;
  std::string status_reason;            // the reason given when acknowledging, resolving or muting
  std::optional<UnixTime> status_until; // a mute's expiry
  bool recurring = false;               // it was resolved before and returned
  std::optional<UnixTime> first_seen;
  std::optional<UnixTime> last_seen;
};

// Stable short id of a finding: 16 hex digits of the SHA-256 of its rule, platform, identity id
// and credential id, the same key the store uses, so `keyward finding ack ID` and SARIF
// fingerprints survive re-runs.
std::string finding_id(const Finding& finding);

// One place a secret was found. Lines and columns are 1-based; column counts bytes.
struct ExposureLocation {
  std::string path;     // file path; inside an archive "outer.zip!inner/file"; "-" for stdin
  long long line = 0;
  long long column = 0;
  std::string commit;   // git commit that introduced the content, empty outside git history
  std::string author;   // the commit's author email, when known
  std::optional<UnixTime> commit_time;
  std::string encoding; // how the secret was wrapped: "", "base64", "percent", "json-escape", "utf-16le"...
};

// A secret found somewhere it should not be, deduplicated by fingerprint across its locations.
// Only the redacted form and the keyed fingerprint of the secret are kept.
struct Exposure {
  std::string fingerprint;  // secrets::fingerprint of the secret with the store's key
  std::string rule_id;      // "github.pat.classic"
  std::string rule_name;
  std::string service;      // "GitHub"
  std::string category;     // secrets::to_string(Category)
  std::string redacted;     // secrets::redact: prefix plus last four
  bool checksum_valid = false;  // the format's checksum passed (GitHub CRC32, Bech32, ...)
  std::string platform;         // inventory platform of the credential kind, when keyward has one
  std::string credential_kind;  // Credential::kind it would match, e.g. "aws_access_key"
  std::string identifier;   // public id the inventory knows it by (AWS key id, GCP private_key_id)
  std::string join_key;     // keyed hash of a partial value the inventory keeps (GitHub last eight)
  std::string paired_fingerprint;  // the other half of a pair (an AWS key id's secret key), if found
  std::string verification; // "", "active", "inactive", "unknown: <reason>" after --verify
  std::string matched_credential_id;  // filled by the inventory join
  std::string matched_identity_id;
  std::vector<ExposureLocation> locations;
  std::optional<UnixTime> first_seen;  // first and last scan that found it
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
