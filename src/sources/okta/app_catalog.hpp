#pragma once

// Okta Integration Network (OIN) catalog keys: which apps are third-party integrations and who
// makes them.

#include <string>
#include <string_view>

namespace keyward::sources::okta {

// Returns true when `name` (the app's catalog key, Application.name) is an app the org built
// itself rather than an OIN integration: "oidc_client", "bookmark", "template_*" and the
// "<org>_<label>_<n>" keys that the App Integration Wizard gives custom SAML and SWA apps.
bool is_custom_app_name(std::string_view name);

// Returns true for Okta's own apps ("okta_org2org", "okta_enduser", "saasure", ...).
bool is_okta_app_name(std::string_view name);

// Returns the vendor of an OIN app: a known catalog key's vendor ("zoomus" is "Zoom"), else the
// label, which OIN apps take from the product name.
std::string vendor_of_catalog_app(std::string_view name, std::string_view label);

}  // namespace keyward::sources::okta
