package dev.platoon.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The Java twin of the steering program: symmetric, port-sensitive, fragment-stable. */
class SteeringTest {
    private static ByteBuffer tcp4(int a, int b, int sport, int dport, int fragBits) {
        ByteBuffer p = ByteBuffer.allocate(40);
        p.put(0, (byte) 0x45).putShort(6, (short) fragBits).put(9, (byte) 6).putInt(12, a).putInt(16, b)
                .putShort(20, (short) sport).putShort(22, (short) dport);
        return p;
    }

    @Test
    void bothDirectionsOfAFlowHashAlike() {
        int there = Steering.flowHash(tcp4(0x64400001, 0x64400002, 40000, 5201, 0), 0, 40);
        int back = Steering.flowHash(tcp4(0x64400002, 0x64400001, 5201, 40000, 0), 0, 40);
        assertEquals(there, back);
    }

    @Test
    void portsSpreadFlowsOverQueues() {
        int[] perQueue = new int[2];
        for (int port = 40000; port < 40064; port++) {
            perQueue[Steering.queueOf(Steering.flowHash(tcp4(0x64400001, 0x64400002, port, 5201, 0), 0, 40), 2)]++;
        }
        assertTrue(perQueue[0] > 16 && perQueue[1] > 16, "64 flows over 2 queues: " + perQueue[0] + "/" + perQueue[1]);
    }

    @Test
    void fragmentsHashWithoutPortsSoAllPiecesAgree() {
        int first = Steering.flowHash(tcp4(0x64400001, 0x64400002, 40000, 5201, 0x2000), 0, 40); // MF
        int later = Steering.flowHash(tcp4(0x64400001, 0x64400002, 1234, 5678, 0x00b9), 0, 40); // offset
        assertEquals(first, later);
    }

    @Test
    void theProgramFitsAndEndsInExit() {
        byte[] prog = Steering.program(0);
        assertEquals(0, prog.length % 8);
        assertTrue(prog.length / 8 < 80, prog.length / 8 + " instructions");
        assertEquals((byte) 0x95, prog[prog.length - 8]);
    }
}
