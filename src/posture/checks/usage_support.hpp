#pragma once

// What the deployment, environment, reuse and human-use checks (OWASP NHI6, NHI8, NHI9, NHI10)
// share: splitting names into words, recognizing CI systems and environment labels in names and
// tags, counting networks and client toolchains in activity, and the platform commands that
// revoke one credential.

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "core/model.hpp"
#include "posture/check.hpp"

namespace keyward::posture {

// Splits text into lower-case runs of letters and digits: "svc_GitHub-Deploy.prod" gives
// {"svc", "github", "deploy", "prod"}.
std::vector<std::string> name_tokens(std::string_view text);

// Returns the CI system a name, description or tag names as a whole word ("GitHub Actions" for
// "github-actions-deployer", "Jenkins" for "jenkins_s3"), or "" when it names none. "ci" and
// "cicd" alone give "a CI system".
std::string ci_system_named_in(std::string_view text);

// Returns the CI system whose client a user-agent family names, or "".
// NOTE: enrich/user_agent.cpp does not produce CI families yet, so activity never gives this
// signal until it does. The .cpp lists the family names such a classifier would need to use.
std::string ci_system_of_family(std::string_view family);

enum class Environment { unknown, production, non_production };

std::string_view to_string(Environment environment);

// Classifies a name or tag value by its words. "prod", "production" and "prd" are production.
// "dev", "develop", "development", "staging", "stage", "stg", "test", "testing", "qa", "uat",
// "sandbox", "sbx", "nonprod", "preprod", "demo", and "non" followed by "prod", are
// non-production. Text with words of both kinds, or of neither, is unknown.
Environment environment_of_text(std::string_view text);

// An environment label and where it was read.
struct EnvironmentLabel {
  Environment environment = Environment::unknown;
  std::string origin;  // "tag Environment=prod", "project acme-prod", "grant on arn:aws:s3:::acme-dev/*"
};

// Reads the environment from tags whose key is env, environment, stage or
// deployment-environment (any case; "-", "_" and ":" ignored). Returns unknown when no such tag
// has a classifiable value.
EnvironmentLabel environment_of_tags(const nlohmann::json& tags);

// True for "AS<digits>", the network name of an activity summary whose address was enriched
// with ASN data. Bare IP addresses are not counted as networks, because several addresses of one
// NAT pool or cloud region are one place.
bool is_asn_network(std::string_view network);

// Maps a user-agent family to the client toolchain behind it, or "" for a family that does not
// identify the credential holder's own client (unknown, other, and AWS services or the console
// acting for the holder). SDKs that share an HTTP stack count once, as in aws.access_key.shared.
std::string client_toolchain(std::string_view family);

// The fingerprint of a credential's secret or key, and what kind of fingerprint it is.
struct SecretFingerprint {
  std::string value;  // "" when the sources recorded none
  std::string kind;   // "secret fingerprint", "SSH key fingerprint", "certificate thumbprint"
};

// Returns Credential::fingerprint (a keyed hash of a secret a source saw), else the public key
// fingerprint of a GitHub SSH or deploy key, else the customKeyIdentifier of an Entra
// certificate. Equal values mean the same secret or key pair.
// NOTE: Entra lets the uploader set customKeyIdentifier. The portal and the Azure CLI set it to
// the certificate thumbprint, but a value chosen by hand could repeat across different keys.
SecretFingerprint secret_fingerprint(const core::Credential& credential);

// Returns the credential `credential_id` of `identity_id`, or nullptr.
const core::Credential* find_credential(const Inventory& inventory, std::string_view identity_id,
                                        std::string_view credential_id);

// True for credentials that no longer authenticate: inactive, deleted, expired or revoked.
bool is_inactive_credential(const core::Credential& credential);

// The name of an identity for commands: its name, else its id.
std::string display_name(const core::Identity& identity);

// Returns the commands (or console path) that revoke one credential on its platform, in order.
// Placeholders in angle brackets are values the export does not contain.
std::vector<std::string> revoke_credential_steps(const core::Identity& identity, const core::Credential& credential);

}  // namespace keyward::posture
