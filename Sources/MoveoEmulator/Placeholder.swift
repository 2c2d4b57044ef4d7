import Hummingbird
public enum EmulatorPlaceholder {}
