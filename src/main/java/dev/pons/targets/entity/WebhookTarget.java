package dev.pons.targets.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.util.Arrays;
import java.util.List;

import dev.pons.platform.control.SealedColumn;

/**
 * Where an account wants its events: a URL (or, for a JMS target, a destination the operator granted), the event types and numbers it covers, its retry policy,
 * its signing secret (sealed) and the health the delivery worker keeps up to date.
 */
@Entity
@Table(name = "webhook_target")
@NamedQuery(name = WebhookTarget.OF_ACCOUNT,
        query = "SELECT t FROM WebhookTarget t WHERE t.accountId = :accountId ORDER BY t.id DESC")
@NamedQuery(name = WebhookTarget.ENABLED_OF_ACCOUNT,
        query = "SELECT t FROM WebhookTarget t WHERE t.accountId = :accountId AND t.enabled = TRUE")
@NamedQuery(name = WebhookTarget.WITH_IDS, query = "SELECT t FROM WebhookTarget t WHERE t.id IN :ids")
public class WebhookTarget {

    /** One delivery at a time, in the order the events were accepted. */
    public static final String FIFO = "fifo";
    /** Deliveries side by side. */
    public static final String UNORDERED = "unordered";
    /** A signed POST to {@code url}. */
    public static final String HTTP = "http";
    /** A message to the JMS destination named {@code jmsDestination} (a {@link JmsGrant}'s name). */
    public static final String JMS = "jms";

    /** Where its secrets are sealed; each value is bound to its column and the target's id. */
    public static final SealedColumn SECRET = new SealedColumn("webhook_target", "id", "secret_sealed");
    public static final SealedColumn PREVIOUS_SECRET = new SealedColumn("webhook_target", "id", "previous_secret_sealed");
    public static final SealedColumn HEADERS = new SealedColumn("webhook_target", "id", "headers_sealed");

    public static final String OF_ACCOUNT = "WebhookTarget.ofAccount";
    public static final String ENABLED_OF_ACCOUNT = "WebhookTarget.enabledOfAccount";
    public static final String WITH_IDS = "WebhookTarget.withIds";

    @Id
    private String id;

    @Column(name = "account_id", nullable = false)
    private String accountId;

    @Column(nullable = false)
    private String name;

    /** {@link #HTTP} or {@link #JMS}. */
    @Column(name = "target_type", nullable = false)
    private String type = HTTP;

    /** Null for a JMS target. */
    private String url;

    /** The granted destination's name; null for an HTTP target. */
    @Column(name = "jms_destination")
    private String jmsDestination;

    /*
     * Comma-separated: these short lists are always read and written with their target. Kept as
     * text rather than through an AttributeConverter, which Hibernate on Liberty would try to
     * obtain from CDI before CDI is ready.
     */
    @Column(nullable = false)
    private String events;

    @Column(name = "phone_number_ids", nullable = false)
    private String phoneNumberIds;

    @Column(nullable = false)
    private boolean enabled;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(name = "timeout_ms", nullable = false)
    private int timeoutMs;

    @Column(name = "initial_backoff_ms", nullable = false)
    private long initialBackoffMs;

    @Column(name = "max_backoff_ms", nullable = false)
    private long maxBackoffMs;

    @Column(name = "secret_sealed", nullable = false)
    private String secretSealed;

    @Column(name = "secret_preview", nullable = false)
    private String secretPreview;

    @Column(name = "previous_secret_sealed")
    private String previousSecretSealed;

    @Column(name = "headers_sealed")
    private String headersSealed;

    @Column(name = "headers_preview")
    private String headersPreview;

    /** Compact JSON of the payload filter; null for none. */
    @Column(name = "payload_filter")
    private String payloadFilter;

    /** {@link #FIFO} or {@link #UNORDERED}. */
    @Column(nullable = false)
    private String ordering = UNORDERED;

    /** Attempts that may start per second, all instances together; null for no limit. */
    @Column(name = "rate_limit_per_second")
    private Integer rateLimitPerSecond;

    @Column(name = "previous_secret_expires_at")
    private Long previousSecretExpiresAt;

    @Column(name = "consecutive_failures", nullable = false)
    private int consecutiveFailures;

    @Column(name = "failing_since")
    private Long failingSince;

    /** The circuit: null while closed; while open, when the next probe may start (targets/control/TargetHealth). */
    @Column(name = "next_probe_at")
    private Long nextProbeAt;

    @Column(name = "last_success_at")
    private Long lastSuccessAt;

    @Column(name = "last_failure_at")
    private Long lastFailureAt;

    @Column(name = "last_error")
    private String lastError;

    @Column(name = "disabled_reason")
    private String disabledReason;

    @Column(name = "created_at", nullable = false)
    private long createdAt;

    @Column(name = "updated_at", nullable = false)
    private long updatedAt;

    protected WebhookTarget() {
    }

    public WebhookTarget(String id, String accountId, long createdAt) {
        this.id = id;
        this.accountId = accountId;
        this.createdAt = createdAt;
        this.updatedAt = createdAt;
    }

    /** Whether this target wants an event of that type about that number. */
    public boolean subscribes(String eventType, String phoneNumberId) {
        List<String> numbers = getPhoneNumberIds();
        return enabled && getEvents().contains(eventType) && (numbers.isEmpty() || numbers.contains(phoneNumberId));
    }

    /** {@code previousSealed}: the current secret sealed anew for {@link #PREVIOUS_SECRET}, or null. */
    public void rotateSecret(String newSealed, String newPreview, String previousSealed, long previousExpiresAt, long now) {
        this.previousSecretSealed = previousSealed;
        this.previousSecretExpiresAt = previousExpiresAt;
        this.secretSealed = newSealed;
        this.secretPreview = newPreview;
        this.updatedAt = now;
    }

    public void setSecret(String sealed, String preview) {
        this.secretSealed = sealed;
        this.secretPreview = preview;
    }

    public void setHeaders(String sealed, String preview) {
        this.headersSealed = sealed;
        this.headersPreview = preview;
    }

    public String getHeadersSealed() {
        return headersSealed;
    }

    public String getHeadersPreview() {
        return headersPreview;
    }

    /** One delivery at a time, in the order the events were accepted. */
    public boolean isFifo() {
        return FIFO.equals(ordering);
    }

    public String getOrdering() {
        return ordering;
    }

    public void setOrdering(String ordering) {
        this.ordering = ordering;
    }

    public Integer getRateLimitPerSecond() {
        return rateLimitPerSecond;
    }

    public void setRateLimitPerSecond(Integer rateLimitPerSecond) {
        this.rateLimitPerSecond = rateLimitPerSecond;
    }

    public String getPayloadFilter() {
        return payloadFilter;
    }

    public void setPayloadFilter(String payloadFilter) {
        this.payloadFilter = payloadFilter;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
        if (enabled) {
            this.disabledReason = null;
            this.failingSince = null;
            this.consecutiveFailures = 0;
            this.nextProbeAt = null;
        }
    }

    public void touch(long now) {
        this.updatedAt = now;
    }

    public Long getNextProbeAt() {
        return nextProbeAt;
    }

    public String getId() {
        return id;
    }

    public String getAccountId() {
        return accountId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getType() {
        return type;
    }

    public void setType(String type) {
        this.type = type;
    }

    public boolean isJms() {
        return JMS.equals(type);
    }

    public String getJmsDestination() {
        return jmsDestination;
    }

    public void setJmsDestination(String jmsDestination) {
        this.jmsDestination = jmsDestination;
    }

    public String getUrl() {
        return url;
    }

    public void setUrl(String url) {
        this.url = url;
    }

    public List<String> getEvents() {
        return split(events);
    }

    public void setEvents(List<String> events) {
        this.events = String.join(",", events);
    }

    public List<String> getPhoneNumberIds() {
        return split(phoneNumberIds);
    }

    public void setPhoneNumberIds(List<String> phoneNumberIds) {
        this.phoneNumberIds = String.join(",", phoneNumberIds);
    }

    private static List<String> split(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split(","));
    }

    public boolean isEnabled() {
        return enabled;
    }

    public int getMaxAttempts() {
        return maxAttempts;
    }

    public void setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
    }

    public int getTimeoutMs() {
        return timeoutMs;
    }

    public void setTimeoutMs(int timeoutMs) {
        this.timeoutMs = timeoutMs;
    }

    public long getInitialBackoffMs() {
        return initialBackoffMs;
    }

    public void setInitialBackoffMs(long initialBackoffMs) {
        this.initialBackoffMs = initialBackoffMs;
    }

    public long getMaxBackoffMs() {
        return maxBackoffMs;
    }

    public void setMaxBackoffMs(long maxBackoffMs) {
        this.maxBackoffMs = maxBackoffMs;
    }

    public String getSecretSealed() {
        return secretSealed;
    }

    public String getSecretPreview() {
        return secretPreview;
    }

    public String getPreviousSecretSealed() {
        return previousSecretSealed;
    }

    public Long getPreviousSecretExpiresAt() {
        return previousSecretExpiresAt;
    }

    public int getConsecutiveFailures() {
        return consecutiveFailures;
    }

    public Long getFailingSince() {
        return failingSince;
    }

    public Long getLastSuccessAt() {
        return lastSuccessAt;
    }

    public Long getLastFailureAt() {
        return lastFailureAt;
    }

    public String getLastError() {
        return lastError;
    }

    public String getDisabledReason() {
        return disabledReason;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }
}
