package dev.pons.platform.control;

/** How Pons names itself in the requests it makes: to webhook targets and to Meta's Cloud API. */
public final class UserAgent {

    public static final String VALUE = "pons-webhook-forwarder/0.1.0";

    private UserAgent() {
    }
}
