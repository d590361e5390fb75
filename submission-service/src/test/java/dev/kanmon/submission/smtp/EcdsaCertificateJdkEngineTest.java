package dev.kanmon.submission.smtp;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** {@link EcdsaCertificateTest} with {@code tls.engine=jdk}. */
@QuarkusTest
@TestProfile(EcdsaCertificateTest.BothCertificatesJdk.class)
class EcdsaCertificateJdkEngineTest extends EcdsaCertificateTest {
}
