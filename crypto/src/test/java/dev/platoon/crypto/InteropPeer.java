package dev.platoon.crypto;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.Arrays;

import dev.platoon.testkit.Checksum;

/**
 * The platoon side of {@link WireGuardGoInteropIT}, run as a child JVM inside the test's network
 * namespace (so its UDP stays on that namespace's loopback). Talks to a real wireguard-go:
 * first as responder (wireguard-go initiates because the parent pings us), answering the ICMP echo
 * request; then as initiator, sending our own echo request and reading the kernel's reply.
 * Prints one line per step; exits 0 only if every step worked.
 *
 * <p>Args: our private key (base64), wireguard-go's public key (base64), its port, our port.
 */
public final class InteropPeer {
    static final byte[] OUR_ADDR = {100, 64, 0, 2};
    static final byte[] THEIR_ADDR = {100, 64, 0, 1};

    public static void main(String[] args) throws Exception {
        StaticIdentity us = new StaticIdentity(Keys.fromBase64(args[0]));
        byte[] them = Keys.fromBase64(args[1]);
        InetSocketAddress peer = new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[2]));
        try (DatagramSocket socket = new DatagramSocket(
                new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(args[3])))) {
            socket.setSoTimeout(15_000);
            CookieChecker checker = new CookieChecker(us);
            CookieGenerator macs = new CookieGenerator(them);
            Handshake handshake = new Handshake(us, them, null);
            TransportCipher cipher = new TransportCipher();
            System.out.println("READY");
            System.out.flush();

            // ---- 1. responder ----
            byte[] in = receive(socket, Protocol.MESSAGE_INITIATION, Protocol.MESSAGE_INITIATION_SIZE);
            check(checker.checkMac1(in, in.length), "mac1 of wireguard-go's initiation");
            InitiationResult r = Handshake.consumeInitiation(us, in, 0);
            check(Arrays.equals(r.remoteStaticPublic(), them), "initiator's static key");
            handshake.acceptInitiation(r);
            byte[] resp = new byte[Protocol.MESSAGE_RESPONSE_SIZE];
            handshake.createResponse(0x0a0b0c0d, resp, 0);
            macs.addMacs(resp, resp.length);
            socket.send(new DatagramPacket(resp, resp.length, peer));
            TransportKeypair kp = handshake.beginSession();
            System.out.println("OK responder handshake");
            byte[] request = receiveData(socket, cipher, kp);
            check(isIcmp(request, 8, THEIR_ADDR, OUR_ADDR), "echo request from wireguard-go's kernel");
            send(socket, peer, cipher, kp, toReply(request));
            System.out.println("OK responder transport (echo request opened, reply sealed)");

            // ---- 2. initiator ----
            Thread.sleep(100); // stay clear of wireguard-go's initiation flood guard and TAI64N slot
            byte[] init = new byte[Protocol.MESSAGE_INITIATION_SIZE];
            handshake.createInitiation(0x01020304, init, 0);
            macs.addMacs(init, init.length);
            socket.send(new DatagramPacket(init, init.length, peer));
            byte[] response = receive(socket, Protocol.MESSAGE_RESPONSE, Protocol.MESSAGE_RESPONSE_SIZE);
            check(checker.checkMac1(response, response.length), "mac1 of wireguard-go's response");
            handshake.consumeResponse(response, 0);
            TransportKeypair kp2 = handshake.beginSession();
            System.out.println("OK initiator handshake");
            send(socket, peer, cipher, kp2, echoRequest());
            byte[] reply = receiveData(socket, cipher, kp2);
            check(isIcmp(reply, 0, THEIR_ADDR, OUR_ADDR), "echo reply from wireguard-go's kernel");
            System.out.println("OK initiator transport (echo reply opened)");
        } catch (SocketTimeoutException e) {
            System.out.println("FAIL timed out waiting for wireguard-go");
            System.exit(1);
        } catch (HandshakeException e) {
            System.out.println("FAIL " + e.reason() + ": " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            System.out.println("FAIL " + what);
            System.exit(1);
        }
    }

    static byte[] receive(DatagramSocket s, int type, int size) throws Exception {
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            if (p.getLength() == size && buf[0] == type) {
                return Arrays.copyOf(buf, size);
            }
            System.out.println("skip message type " + buf[0] + " length " + p.getLength());
        }
    }

    /** Next non-empty transport payload for kp, opened in place; keepalives are skipped. */
    static byte[] receiveData(DatagramSocket s, TransportCipher cipher, TransportKeypair kp) throws Exception {
        byte[] buf = new byte[65536];
        while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            if (buf[0] != Protocol.MESSAGE_TRANSPORT || p.getLength() < Protocol.MESSAGE_TRANSPORT_MIN_SIZE) {
                System.out.println("skip message type " + buf[0] + " length " + p.getLength());
                continue;
            }
            check(Protocol.readIntLE(buf, Protocol.TRANSPORT_RECEIVER) == kp.localIndex(), "receiver index");
            long counter = Protocol.readLongLE(buf, Protocol.TRANSPORT_COUNTER);
            int n = cipher.open(kp, counter, buf, Protocol.TRANSPORT_DATA, p.getLength() - Protocol.TRANSPORT_DATA);
            check(n >= 0, "transport data from wireguard-go authenticates");
            check(kp.acceptCounter(counter), "fresh counter");
            if (n == 0) {
                continue;
            }
            int total = ((buf[16 + 2] & 0xff) << 8) | (buf[16 + 3] & 0xff);
            return Arrays.copyOfRange(buf, 16, 16 + total);
        }
    }

    static void send(DatagramSocket s, InetSocketAddress peer, TransportCipher cipher, TransportKeypair kp,
                     byte[] ip) throws Exception {
        int padded = (ip.length + 15) & ~15; // the caller pads, as the whitepaper says
        byte[] msg = new byte[16 + padded + 16];
        Protocol.writeIntLE(msg, 0, Protocol.MESSAGE_TRANSPORT);
        Protocol.writeIntLE(msg, Protocol.TRANSPORT_RECEIVER, kp.remoteIndex());
        long counter = kp.nextSendCounter();
        Protocol.writeLongLE(msg, Protocol.TRANSPORT_COUNTER, counter);
        System.arraycopy(ip, 0, msg, 16, ip.length);
        cipher.seal(kp, counter, msg, 16, padded);
        s.send(new DatagramPacket(msg, msg.length, peer));
    }

    static boolean isIcmp(byte[] ip, int type, byte[] src, byte[] dst) {
        return ip.length >= 28 && (ip[0] & 0xf0) == 0x40 && ip[9] == 1
                && Arrays.equals(ip, 12, 16, src, 0, 4) && Arrays.equals(ip, 16, 20, dst, 0, 4)
                && ip[(ip[0] & 0x0f) * 4] == type;
    }

    static byte[] echoRequest() {
        byte[] ip = new byte[20 + 8 + 16];
        ip[0] = 0x45;
        ip[3] = (byte) ip.length;
        ip[8] = 64;
        ip[9] = 1;
        System.arraycopy(OUR_ADDR, 0, ip, 12, 4);
        System.arraycopy(THEIR_ADDR, 0, ip, 16, 4);
        ip[20] = 8; // echo request
        ip[24] = 0x12;
        ip[25] = 0x34; // id
        ip[27] = 1;    // seq
        Arrays.fill(ip, 28, ip.length, (byte) 'p');
        checksums(ip);
        return ip;
    }

    static byte[] toReply(byte[] request) {
        byte[] ip = request.clone();
        System.arraycopy(request, 16, ip, 12, 4);
        System.arraycopy(request, 12, ip, 16, 4);
        ip[(ip[0] & 0x0f) * 4] = 0; // echo reply
        checksums(ip);
        return ip;
    }

    static void checksums(byte[] ip) {
        int ihl = (ip[0] & 0x0f) * 4;
        ip[10] = 0;
        ip[11] = 0;
        int c = Checksum.checksum(ip, 0, ihl);
        ip[10] = (byte) (c >> 8);
        ip[11] = (byte) c;
        ip[ihl + 2] = 0;
        ip[ihl + 3] = 0;
        c = Checksum.checksum(ip, ihl, ip.length - ihl);
        ip[ihl + 2] = (byte) (c >> 8);
        ip[ihl + 3] = (byte) c;
    }
}
