/**
 * The cross-platform WireGuard control socket ("UAPI", https://www.wireguard.com/xplatform/),
 * so that the stock {@code wg} tool can show and set a running platoon.
 *
 * <p>{@link dev.platoon.core.uapi.UapiDevice} is the narrow interface the device implements:
 * a consistent {@link dev.platoon.core.uapi.UapiSnapshot} for {@code get=1} and a transactional
 * {@code apply} of a fully parsed and validated {@link dev.platoon.core.uapi.UapiSetRequest} for
 * {@code set=1} (a malformed request changes nothing). {@link dev.platoon.core.uapi.UapiSetParser}
 * and {@link dev.platoon.core.uapi.UapiText} are the text codec, {@link dev.platoon.core.uapi.UapiServer}
 * serves {@code /var/run/wireguard/NAME.sock} with Netty epoll, and
 * {@link dev.platoon.core.uapi.UapiClient} is a small blocking client for {@code platoon show}
 * and tests. Error codes are wireguard-go's ({@link dev.platoon.core.uapi.UapiErrno}).
 */
package dev.platoon.core.uapi;
