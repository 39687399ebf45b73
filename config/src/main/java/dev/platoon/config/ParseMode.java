package dev.platoon.config;

/** Which dialect a file is read in. */
public enum ParseMode {
    /** A wg-quick file: every key; PrivateKey may be left to a PostUp {@code wg set %i private-key FILE}. */
    WG_QUICK,
    /**
     * A wg(8) file as {@code wg setconf}/{@code wg syncconf} read it (e.g. the output of
     * {@code wg-quick strip} or {@code wg showconf}): only wg(8) keys.
     */
    WG
}
