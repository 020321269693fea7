-- An attempt no longer carries a foreign key to its delivery. Its only writer is the outcome that updates
-- the delivery in the same transaction, and only while the delivery holds the attempt's lease, so the key
-- guarded nothing a running server could break; yet every attempt paid for it, on the busiest write there
-- is: PostgreSQL looked the delivery up and locked its row (a WAL record of its own), H2 kept an index of
-- its own for the key. Deleting a target now deletes its deliveries' attempts itself (delivery.control
-- Deliveries), where the key's cascade did. The previous release needs nothing of the key; a target it
-- deletes during the rolling upgrade leaves its attempts behind, which nothing reads.
ALTER TABLE delivery_attempt DROP CONSTRAINT delivery_attempt_delivery;
