package dev.platoon.core.transport;

/**
 * Socket options for the UDP channels of one {@link UdpBind}. See package-info for why each default.
 *
 * @param socketBufferBytes   SO_RCVBUF/SO_SNDBUF asked for (FORCE variants first, so beyond rmem_max when
 *                            CAP_NET_ADMIN allows); the kernel doubles the value it stores
 * @param fwmark              SO_MARK for policy routing (0 = leave unset)
 * @param udpGro              UDP_GRO on receive
 * @param udpGso              UDP_SEGMENT on send (still subject to the runtime check and the EIO fallback)
 * @param writeLowWaterMark   Netty write-buffer low water mark: below it a paused tun queue resumes
 * @param writeHighWaterMark  Netty write-buffer high water mark: above it the tun queue pauses
 */
public record UdpOptions(int socketBufferBytes, int fwmark, boolean udpGro, boolean udpGso,
                         int writeLowWaterMark, int writeHighWaterMark) {

    /** 64 KiB payload of the largest GRO batch plus slack; a smaller buffer truncates batches silently. */
    public static final int RECEIVE_BUFFER_BYTES = 65536 + 1024;
    public static final int DEFAULT_SOCKET_BUFFER = 8 << 20;
    /**
     * Datagrams read per receive wake-up before the loop turns to its tun queue and other channels; chosen
     * by measurement (docs/benchmarks.md, "Receive batching"). {@code -Dplatoon.udp.messagesPerWakeup=N}
     * overrides it for such measurements.
     */
    public static final int RECEIVE_MESSAGES_PER_WAKEUP = 16;
    /** One tun read budget of 64 full trains is ~4 MiB: a whole batch fits below the high mark. */
    public static final int DEFAULT_HIGH_WATER_MARK = 5 << 20;
    public static final int DEFAULT_LOW_WATER_MARK = 1 << 20;

    public UdpOptions {
        if (socketBufferBytes < 0 || writeLowWaterMark < 0 || writeHighWaterMark < writeLowWaterMark) {
            throw new IllegalArgumentException("bad UDP options: buffer=" + socketBufferBytes
                    + " low=" + writeLowWaterMark + " high=" + writeHighWaterMark);
        }
    }

    /** {@link #RECEIVE_MESSAGES_PER_WAKEUP}, or the system property's positive value. */
    public static int receiveMessagesPerWakeup() {
        int n = Integer.getInteger("platoon.udp.messagesPerWakeup", RECEIVE_MESSAGES_PER_WAKEUP);
        return n > 0 ? n : RECEIVE_MESSAGES_PER_WAKEUP;
    }

    public static UdpOptions defaults() {
        return new UdpOptions(DEFAULT_SOCKET_BUFFER, 0, true, true, DEFAULT_LOW_WATER_MARK, DEFAULT_HIGH_WATER_MARK);
    }

    public UdpOptions withFwmark(int mark) {
        return new UdpOptions(socketBufferBytes, mark, udpGro, udpGso, writeLowWaterMark, writeHighWaterMark);
    }

    public UdpOptions withGso(boolean on) {
        return new UdpOptions(socketBufferBytes, fwmark, udpGro, on, writeLowWaterMark, writeHighWaterMark);
    }

    public UdpOptions withGro(boolean on) {
        return new UdpOptions(socketBufferBytes, fwmark, on, udpGso, writeLowWaterMark, writeHighWaterMark);
    }

    public UdpOptions withSocketBuffer(int bytes) {
        return new UdpOptions(bytes, fwmark, udpGro, udpGso, writeLowWaterMark, writeHighWaterMark);
    }

    public UdpOptions withWaterMarks(int low, int high) {
        return new UdpOptions(socketBufferBytes, fwmark, udpGro, udpGso, low, high);
    }
}
