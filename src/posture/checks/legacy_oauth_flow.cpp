// nhi.auth.legacy_oauth_flow: an active app that allows an OAuth grant the OAuth 2.0 Security
// Best Current Practice (RFC 9700) says not to use: the implicit grant, which returns access
// tokens in the browser's URL, or the resource owner password grant, which hands a user's
// password to the app. Okta app integrations record their grant_types (OWASP NHI4, Insecure
// Authentication).
//
// TODO: Entra ID app registrations (web.implicitGrantSettings, isFallbackPublicClient) and
// Salesforce connected apps (username-password flow) carry the same settings, but the
// entra-applications and salesforce-connected-apps sources do not read those fields yet.

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "posture/checks/access_key_support.hpp"

namespace keyward::posture {
namespace {

// Grant type values as Okta writes them, with why each is unsafe.
const std::map<std::string, std::string> kLegacyGrantTypes = {
    {"implicit", "implicit grant: access tokens are returned in the redirect URL, where browser history, logs and "
                 "referrers can leak them"},
    {"password", "resource owner password grant: the app receives users' passwords and bypasses MFA and sign-on "
                 "policies that need a browser"},
};

class LegacyOauthFlowCheck final : public Check {
 public:
  std::string_view id() const override { return "nhi.auth.legacy_oauth_flow"; }
  std::string_view title() const override { return "App allows a legacy OAuth grant (implicit or password)"; }
  core::Severity severity() const override { return core::Severity::medium; }
  std::string_view owasp() const override { return "NHI4"; }
  std::string_view description() const override {
    return "The implicit grant exposes access tokens in URLs, and the password grant gives the app users' passwords "
           "and skips MFA. Both are deprecated by the OAuth 2.0 Security Best Current Practice; the authorization code "
           "grant with PKCE replaces them.";
  }
  std::vector<std::string_view> platforms() const override { return {"okta"}; }

  void run(const Inventory& inventory, const PostureOptions& /*options*/,
           std::vector<core::Finding>& findings) const override {
    for (const auto& identity : inventory.identities) {
      if (identity.platform != "okta" || identity.status != "active") continue;
      const auto grant_types = identity.attributes.find("grant_types");
      if (grant_types == identity.attributes.end() || !grant_types->is_array()) continue;
      std::vector<std::string> legacy;
      for (const auto& value : *grant_types) {
        if (value.is_string() && kLegacyGrantTypes.count(value.get<std::string>())) legacy.push_back(value.get<std::string>());
      }
      if (legacy.empty()) continue;
      findings.push_back(make_finding(identity, legacy));
    }
  }

 private:
  core::Finding make_finding(const core::Identity& identity, const std::vector<std::string>& legacy) const {
    core::Finding finding = start_finding(*this, identity, nullptr);
    const bool password = std::find(legacy.begin(), legacy.end(), "password") != legacy.end();
    finding.severity = password ? core::Severity::high : core::Severity::medium;
    finding.title = fmt::format("Okta app \"{}\" allows the {} grant", identity.name,
                                password ? "resource owner password" : "implicit");
    for (const auto& grant_type : legacy) {
      finding.evidence.push_back(
          make_evidence(fmt::format("grant_types contains \"{}\": {}", grant_type, kLegacyGrantTypes.at(grant_type))));
    }

    finding.remediation = fmt::format(
        "Move \"{}\" to the authorization code grant with PKCE (or client credentials for a service), then clear the "
        "legacy grant types from the app.",
        identity.name);
    finding.remediation_steps = {
        fmt::format("Okta Admin Console > Applications > {} > General > General Settings > Edit: under Grant type, clear "
                    "{} and keep Authorization Code",
                    identity.name, password ? "Resource Owner Password" : "Implicit (hybrid)"),
        fmt::format("or through the API: curl -s -H \"Authorization: Bearer $OKTA_TOKEN\" "
                    "https://$OKTA_DOMAIN/api/v1/apps/{} > app.json, remove the grant type from "
                    "settings.oauthClient.grant_types, then curl -X PUT -H \"Content-Type: application/json\" -H "
                    "\"Authorization: Bearer $OKTA_TOKEN\" -d @app.json https://$OKTA_DOMAIN/api/v1/apps/{}",
                    identity.id, identity.id),
    };
    finding.check_first = {
        fmt::format("Which clients still use the flow: System Log events app.oauth2.token.grant.* and "
                    "app.oauth2.as.token.grant.* for client {} with the legacy grant type",
                    identity.id),
        "That the client library supports the authorization code grant with PKCE before the flow is turned off"};
    finding.safe_now = false;
    finding.safe_reason = "Clients that still use the legacy grant fail to sign in once it is removed.";
    return finding;
  }
};

}  // namespace

KEYWARD_REGISTER_CHECK(LegacyOauthFlowCheck);

}  // namespace keyward::posture
