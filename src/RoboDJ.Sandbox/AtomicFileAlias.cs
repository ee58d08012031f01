// Workaround (rotation branch): RoboDJ.KeyRotation.Secrets now has a public AtomicFile too, which makes the sandbox's
// own App.AtomicFile ambiguous where both namespaces are imported. An alias wins over namespace imports.
// The sandbox owner may rename its class instead and delete this file.
global using AtomicFile = RoboDJ.Sandbox.App.AtomicFile;
