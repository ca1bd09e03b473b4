#pragma once

// Credential rotations seen in activity logs, so the engine can keep quiet about novelty while
// a new credential settles in: its first calls often come from a new host, network or client.

#include <string>

#include "core/event.hpp"

namespace keyward::detect {

// Returns the key (see change_window_key) of the identity that `event` gave a new long-lived
// credential, or "" when the event is no successful credential creation. Recognized:
// AWS iam:CreateAccessKey (for requestParameters.userName, else the caller), GCP
// CreateServiceAccountKey (for the service account in the resource name), and Entra "Add service
// principal credentials" or "Update application – Certificates and secrets management" that
// added a key (for the target's appId, else its object id).
std::string rotated_identity_key(const core::Event& event);

// The key under which an identity's rotations are stored: "aws:<account>:<user name>" for IAM
// users (the CreateAccessKey record names the user, not its ARN with path), else
// "<platform>:<identity id>".
std::string change_window_key(std::string_view platform, std::string_view identity_id);

}  // namespace keyward::detect
