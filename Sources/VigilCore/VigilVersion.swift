/// The version of Vigil, as `vigil --version` prints it and the OpenAPI document states it.
public enum VigilVersion {
    public static let current = "0.4.0"
}
