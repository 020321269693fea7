package dev.pons.platform.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A value the service keeps for itself, shared by all instances (the development encryption key). */
@Entity
@Table(name = "pons_setting")
public class Setting {

    @Id
    private String name;

    @Column(name = "setting_value", nullable = false)
    private String value;

    protected Setting() {
    }

    public Setting(String name, String value) {
        this.name = name;
        this.value = value;
    }

    public String getValue() {
        return value;
    }
}
