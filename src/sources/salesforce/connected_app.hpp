#pragma once

// The connected app identity that OAuth tokens and connected app settings both describe.
// OauthToken names its app only by label (AppName) and AppMenuItemId, and ConnectedApplication
// gives Name and its own Id, so the label is the only key both queries share: the identity id is
// "app:<label>", and the record ids are kept as aliases.

#include <string>
#include <string_view>

#include "core/model.hpp"

namespace keyward::sources::salesforce {

inline constexpr std::string_view kPlatform = "salesforce";
inline constexpr std::string_view kConnectedAppKind = "salesforce_connected_app";

// Returns "app:<name>".
std::string connected_app_id(std::string_view name);

// True for connected apps that Salesforce itself publishes in every org (Salesforce CLI, the
// mobile apps, Data Loader), which are first-party rather than third-party integrations.
bool is_salesforce_published_app(std::string_view name);

// A connected app identity with the fields every Salesforce source sets the same way.
core::Identity make_connected_app(std::string_view name);

}  // namespace keyward::sources::salesforce
