package dev.platoon.config;

/** Which dialect a file is read in. */
public enum ParseMode {
    /** A wg-quick file: every key, and {@code [Interface]} must have a PrivateKey. */
    WG_QUICK,
    /**
     * A wg(8) file as {@code wg setconf}/{@code wg syncconf} read it (e.g. the output of
     * {@code wg-quick strip} or {@code wg showconf}): only wg(8) keys, PrivateKey optional.
     */
    WG
}
