// The built-in wiring checks, one concern each, grouped by what they check. Importing a file
// registers its checks (registerWiringCheck); a new check file is added here.
import "./service-accounts";
import "./azure-key-vault";
import "./vault";
import "./collisions";
import "./identity-bindings";
import "./rotation";
import "./csi-providers";
import "./aws-irsa";
