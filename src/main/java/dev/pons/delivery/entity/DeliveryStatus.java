package dev.pons.delivery.entity;

public enum DeliveryStatus {
    pending, succeeded, failed
}
