"""Unit tests of CommunityAirdrop (SPEC 5.4): every function, event and custom error. Claims liquid,
into no lock / an active lock / a permanent lock / an expired lock, by EOA and ERC-1271 signature, the
bonus and its cap by the reserve, the claim window and the sweep. Every transaction whose time matters
is pinned (`next_block_at`) and the expected numbers come from tests/models/airdrop_model.py."""

import pytest
from brownie import ZERO_ADDRESS, chain
from eth_utils import keccak

from harness.chain.time import mine_at, next_block_at, now
from harness.core.merkle import AIRDROP_LEAF_ENCODING, StandardMerkleTree
from harness.core.signing import DOMAIN_VERSION, digest, domain, typed_message
from harness.core.staking import week_start
from harness.core.units import DAY, MAX_LOCK, UNIT, WEEK
from tests.airdrop.conftest import (
    ALLOCATIONS, BONUS_BPS, CLAIM_AND_LOCK_TYPES, DOMAIN_NAME, RESERVE, WALLET_ALLOCATION,
    claim_and_lock_message,
)
from tests.models.airdrop_model import MIN_LOCK_AMOUNT, capped_bonus, raw_bonus
from tests.support.reverts import reverts

ZERO_ROOT = "0x" + "00" * 32


def balance(token, who):
    return token.balanceOf(str(who))


# ---- constructor and views ----------------------------------------------------------------------


def test_constructor_sets_every_view(airdrop, ve, token, tree, total, deadline, treasury):
    assert airdrop.votingEscrow() == ve.address
    assert airdrop.token() == token.address == ve.token()
    assert airdrop.merkleRoot() == tree.root
    assert airdrop.airdropTotal() == total
    assert airdrop.claimedTotal() == 0
    assert airdrop.claimDeadline() == deadline
    assert airdrop.maxLockBonusBps() == BONUS_BPS
    assert airdrop.treasury() == treasury
    assert airdrop.MAX_LOCK() == ve.MAX_LOCK() == MAX_LOCK
    assert airdrop.MAX_BONUS_BPS() == 10_000
    assert airdrop.CLAIM_AND_LOCK_TYPEHASH() == "0x" + keccak(
        text="ClaimAndLock(address account,uint256 amount,uint256 unlockTime,uint256 deadline)"
    ).hex()
    assert airdrop.bonusReserve() == RESERVE
    assert balance(token, airdrop) == total + RESERVE


@pytest.mark.parametrize("which", ["escrow", "treasury"])
def test_constructor_refuses_a_zero_address(CommunityAirdrop, ve, tree, total, deadline, treasury, deployer, which):
    escrow, to = (ZERO_ADDRESS, treasury) if which == "escrow" else (ve, ZERO_ADDRESS)
    with reverts("ZeroAddress"):
        CommunityAirdrop.deploy(escrow, tree.root, total, deadline, BONUS_BPS, to, {"from": deployer})


def test_constructor_refuses_a_zero_total_or_root(CommunityAirdrop, ve, tree, total, deadline, treasury, deployer):
    with reverts("ZeroAmount"):
        CommunityAirdrop.deploy(ve, tree.root, 0, deadline, BONUS_BPS, treasury, {"from": deployer})
    with reverts("ZeroMerkleRoot"):
        CommunityAirdrop.deploy(ve, ZERO_ROOT, total, deadline, BONUS_BPS, treasury, {"from": deployer})


def test_constructor_refuses_a_deadline_not_in_the_future(CommunityAirdrop, ve, tree, total, treasury, deployer):
    t = now() + 10
    next_block_at(t)
    with reverts("DeadlineNotInFuture", t):
        CommunityAirdrop.deploy(ve, tree.root, total, t, BONUS_BPS, treasury, {"from": deployer})
    next_block_at(t + 10)
    drop = CommunityAirdrop.deploy(ve, tree.root, total, t + 11, BONUS_BPS, treasury, {"from": deployer})
    assert drop.claimDeadline() == t + 11


def test_constructor_caps_the_bonus_bps(CommunityAirdrop, ve, tree, total, deadline, treasury, deployer):
    with reverts("BonusBpsTooHigh", 10_001):
        CommunityAirdrop.deploy(ve, tree.root, total, deadline, 10_001, treasury, {"from": deployer})
    drop = CommunityAirdrop.deploy(ve, tree.root, total, deadline, 10_000, treasury, {"from": deployer})
    assert drop.maxLockBonusBps() == 10_000


def test_bonus_reserve_is_zero_while_the_airdrop_is_underfunded(CommunityAirdrop, ve, tree, total, deadline, treasury, token, holders, deployer):
    drop = CommunityAirdrop.deploy(ve, tree.root, total, deadline, BONUS_BPS, treasury, {"from": deployer})
    assert drop.bonusReserve() == 0
    token.transfer(drop, total - 1, {"from": holders[0]})
    assert drop.bonusReserve() == 0
    token.transfer(drop, 1, {"from": holders[0]})
    assert drop.bonusReserve() == 0
    token.transfer(drop, 5, {"from": holders[0]})
    assert drop.bonusReserve() == 5


# ---- liquid claims ------------------------------------------------------------------------------


def test_claim_pays_the_account_only_and_anyone_may_submit(airdrop, drop, token, users):
    account, relayer = users[1], users[2]
    amount = ALLOCATIONS[1]
    before = balance(token, account), balance(token, relayer)
    tx = airdrop.claim(*drop.leaf(account), {"from": relayer.account})
    assert tx.events["Claimed"]["account"] == account.address and tx.events["Claimed"]["amount"] == amount
    assert (balance(token, account), balance(token, relayer)) == (before[0] + amount, before[1])
    assert airdrop.claimed(account.address) and not airdrop.claimed(relayer.address)
    assert airdrop.claimedTotal() == amount
    assert airdrop.bonusReserve() == RESERVE  # a liquid claim leaves the reserve alone


def test_claim_own_allocation(airdrop, drop, token, users):
    u = users[0]
    before = balance(token, u)
    airdrop.claim(*drop.leaf(u), {"from": u.account})
    assert balance(token, u) == before + ALLOCATIONS[0]


def test_a_second_claim_reverts_already_claimed(airdrop, drop, users):
    u = users[0]
    airdrop.claim(*drop.leaf(u), {"from": u.account})
    with reverts("AlreadyClaimed", u.address):
        airdrop.claim(*drop.leaf(u), {"from": u.account})
    with reverts("AlreadyClaimed", u.address):
        airdrop.claimAndLock(ALLOCATIONS[0], drop.proof(u), now() + MAX_LOCK, {"from": u.account})


def test_a_proof_for_another_amount_or_account_is_refused(airdrop, drop, users):
    u, v = users[0], users[1]
    with reverts("InvalidProof"):
        airdrop.claim(u.address, ALLOCATIONS[0] + 1, drop.proof(u), {"from": u.account})
    with reverts("InvalidProof"):  # v's amount and proof, claimed for u
        airdrop.claim(u.address, ALLOCATIONS[1], drop.proof(v), {"from": u.account})
    with reverts("InvalidProof"):  # u's amount and proof paid to v
        airdrop.claim(v.address, ALLOCATIONS[0], drop.proof(u), {"from": u.account})
    with reverts("InvalidProof"):
        airdrop.claim(u.address, ALLOCATIONS[0], [], {"from": u.account})
    with reverts("InvalidProof"):  # claimAndLock proves the caller's leaf: v cannot lock u's allocation
        airdrop.claimAndLock(ALLOCATIONS[0], drop.proof(u), now() + MAX_LOCK, {"from": v.account})
    assert not airdrop.claimed(u.address) and not airdrop.claimed(v.address)


def test_an_inner_node_is_not_a_leaf(airdrop, drop, tree, users):
    """The double-hashed leaf: the two children of an inner node, as (account, amount), prove nothing."""
    left, right = tree.tree[1], tree.tree[2]
    with reverts("InvalidProof"):
        airdrop.claim("0x" + left[12:].hex(), int.from_bytes(right, "big"), [], {"from": users[0].account})


def test_claims_close_after_the_deadline(airdrop, drop, deadline, users):
    u, v, w = users[0], users[1], users[2]
    next_block_at(deadline)
    airdrop.claim(*drop.leaf(u), {"from": u.account})  # still open at the deadline itself
    next_block_at(deadline + 1)
    with reverts("ClaimWindowClosed", deadline):
        airdrop.claim(*drop.leaf(v), {"from": v.account})
    with reverts("ClaimWindowClosed", deadline):
        airdrop.claimAndLock(ALLOCATIONS[1], drop.proof(v), now() + MAX_LOCK, {"from": v.account})
    unlock, sig_deadline, signature = drop.sign(w, deadline=deadline + DAY)
    with reverts("ClaimWindowClosed", deadline):
        airdrop.claimAndLockBySig(*drop.leaf(w), unlock, sig_deadline, signature, {"from": v.account})


# ---- sweep ---------------------------------------------------------------------------------------


def test_sweep_before_or_at_the_deadline_reverts(airdrop, deadline, users):
    with reverts("ClaimWindowOpen", deadline):
        airdrop.sweep({"from": users[0].account})
    next_block_at(deadline)
    with reverts("ClaimWindowOpen", deadline):
        airdrop.sweep({"from": users[0].account})


def test_sweep_after_the_deadline_sends_everything_to_the_treasury(airdrop, drop, token, total, deadline, treasury, users, holders):
    u = users[0]
    airdrop.claim(*drop.leaf(u), {"from": u.account})
    left = total + RESERVE - ALLOCATIONS[0]
    next_block_at(deadline + 1)
    tx = airdrop.sweep({"from": users[3].account})
    assert tx.return_value == left
    assert tx.events["Swept"]["treasury"] == treasury and tx.events["Swept"]["amount"] == left
    assert balance(token, treasury) == left and balance(token, airdrop) == 0
    assert airdrop.bonusReserve() == 0
    with reverts("ZeroAmount"):
        airdrop.sweep({"from": users[3].account})
    token.transfer(airdrop, 7, {"from": holders[0]})  # sent by mistake later: swept again
    assert airdrop.sweep({"from": users[3].account}).return_value == 7
    assert balance(token, treasury) == left + 7


# ---- claims into a lock ---------------------------------------------------------------------------


def test_claim_and_lock_creates_a_lock_with_the_bonus(airdrop, drop, ve, token, users):
    u = users[2]
    amount = ALLOCATIONS[2]
    t = now() + 100
    unlock = t + 200 * DAY + 12_345
    end = week_start(unlock)
    expected = raw_bonus(amount, end - t, BONUS_BPS)
    assert 0 < expected < RESERVE
    assert airdrop.previewBonus(u.address, amount, unlock) == raw_bonus(amount, end - now(), BONUS_BPS)
    next_block_at(t)
    supply = ve.supply()
    tx = airdrop.claimAndLock(amount, drop.proof(u), unlock, {"from": u.account})
    assert tx.return_value == expected
    ev = tx.events["ClaimedAndLocked"]
    assert (ev["account"], ev["amount"], ev["bonus"], ev["lockEnd"]) == (u.address, amount, expected, end)
    assert ve.locked(u.address) == (amount + expected, end, False)
    assert ve.supply() == supply + amount + expected
    assert airdrop.claimed(u.address) and airdrop.claimedTotal() == amount
    assert airdrop.bonusReserve() == RESERVE - expected
    assert token.allowance(airdrop, ve) == 0  # the escrow pulled exactly what was approved


def test_claim_and_lock_for_a_full_year(airdrop, drop, ve, users):
    u = users[0]
    amount = ALLOCATIONS[0]
    t = now() + 50
    next_block_at(t)
    tx = airdrop.claimAndLock(amount, drop.proof(u), t + MAX_LOCK, {"from": u.account})
    end = week_start(t + MAX_LOCK)
    assert tx.events["ClaimedAndLocked"]["lockEnd"] == end
    assert tx.return_value == raw_bonus(amount, end - t, BONUS_BPS)
    assert tx.return_value < amount * BONUS_BPS // 10_000  # a week-rounded end: just under the full bonus


def test_claim_and_lock_into_an_active_lock_ignores_unlock_time(airdrop, drop, ve, users):
    u = users[1]
    amount = ALLOCATIONS[1]
    drop.lock(u, 1_000 * UNIT, weeks=10)
    _, end, _ = ve.locked(u.address)
    t = now() + 30
    next_block_at(t)
    tx = airdrop.claimAndLock(amount, drop.proof(u), 0, {"from": u.account})
    expected = raw_bonus(amount, end - t, BONUS_BPS)
    assert tx.return_value == expected
    assert tx.events["ClaimedAndLocked"]["lockEnd"] == end
    assert ve.locked(u.address) == (1_000 * UNIT + amount + expected, end, False)
    deposit = tx.events["Deposit"]
    assert deposit["account"] == u.address and deposit["payer"] == airdrop.address
    assert deposit["amount"] == amount + expected


def test_claim_and_lock_into_a_permanent_lock_gets_the_full_bonus(airdrop, drop, ve, users):
    u = users[3]
    amount = ALLOCATIONS[3]
    drop.lock_permanent(u, 2_000 * UNIT)
    assert airdrop.previewBonus(u.address, amount, 0) == amount * BONUS_BPS // 10_000
    tx = airdrop.claimAndLock(amount, drop.proof(u), 12345, {"from": u.account})
    assert tx.return_value == amount * BONUS_BPS // 10_000  # remaining = MAX_LOCK
    assert tx.events["ClaimedAndLocked"]["lockEnd"] == 0
    assert ve.locked(u.address) == (2_000 * UNIT + amount + tx.return_value, 0, True)


def test_claim_and_lock_into_an_expired_lock_reverts(airdrop, drop, ve, users):
    u = users[1]
    drop.lock(u, 1_000 * UNIT, weeks=1)
    _, end, _ = ve.locked(u.address)
    mine_at(end)
    assert airdrop.previewBonus(u.address, ALLOCATIONS[1], now() + MAX_LOCK) == 0
    with reverts("LockExpired", u.address, end):
        airdrop.claimAndLock(ALLOCATIONS[1], drop.proof(u), now() + MAX_LOCK, {"from": u.account})
    ve.withdraw({"from": u.account})  # withdrawn: the claim makes a new lock
    tx = airdrop.claimAndLock(ALLOCATIONS[1], drop.proof(u), now() + MAX_LOCK, {"from": u.account})
    assert ve.locked(u.address)[0] == ALLOCATIONS[1] + tx.return_value


def test_claim_and_lock_with_an_end_the_escrow_refuses(airdrop, drop, users):
    u = users[0]
    amount = ALLOCATIONS[0]
    t = now() + 40
    past = week_start(t)  # the current week's start: not in the future
    assert airdrop.previewBonus(u.address, amount, past) == 0
    next_block_at(t)
    with reverts("UnlockTimeNotInFuture", past, t):
        airdrop.claimAndLock(amount, drop.proof(u), past, {"from": u.account})
    late = week_start(t + 20 + MAX_LOCK + WEEK)
    assert airdrop.previewBonus(u.address, amount, late) == 0
    next_block_at(t + 20)
    with reverts("UnlockTimeTooLate", late, t + 20 + MAX_LOCK):
        airdrop.claimAndLock(amount, drop.proof(u), late, {"from": u.account})
    assert not airdrop.claimed(u.address)


def test_a_new_lock_needs_the_escrow_minimum_with_the_bonus(airdrop, drop, ve, users):
    """users[4] is allocated half a token: with its bonus still below MIN_LOCK_AMOUNT for a new lock;
    it can claim liquid, or into a lock it already has (depositFor has no minimum)."""
    u = users[4]
    amount = ALLOCATIONS[4]
    t = now() + 60
    unlock = t + MAX_LOCK
    bonus = raw_bonus(amount, week_start(unlock) - t, BONUS_BPS)
    assert amount + bonus < MIN_LOCK_AMOUNT
    next_block_at(t)
    with reverts("AmountBelowMinimum", amount + bonus, MIN_LOCK_AMOUNT):
        airdrop.claimAndLock(amount, drop.proof(u), unlock, {"from": u.account})
    drop.lock(u, MIN_LOCK_AMOUNT, weeks=4)
    tx = airdrop.claimAndLock(amount, drop.proof(u), unlock, {"from": u.account})
    assert ve.locked(u.address)[0] == MIN_LOCK_AMOUNT + amount + tx.return_value


def test_claim_into_a_new_lock_needs_the_trusted_lock_creator(airdrop, drop, ve, deployer, users):
    u = users[0]
    ve.setTrustedLockCreator(airdrop, False, {"from": deployer})
    with reverts("NotLockCreator", airdrop.address, u.address):
        airdrop.claimAndLock(ALLOCATIONS[0], drop.proof(u), now() + MAX_LOCK, {"from": u.account})
    drop.lock(u)  # an existing lock takes depositFor, which stays open
    airdrop.claimAndLock(ALLOCATIONS[0], drop.proof(u), 0, {"from": u.account})
    assert airdrop.claimed(u.address)


# ---- the bonus reserve -----------------------------------------------------------------------------


@pytest.fixture
def small_reserve(CommunityAirdrop, ve, tree, total, deadline, treasury, token, holders, deployer):
    """The same tree with a bonus reserve of 100 tokens only."""
    d = CommunityAirdrop.deploy(ve, tree.root, total, deadline, BONUS_BPS, treasury, {"from": deployer})
    token.transfer(d, total + 100 * UNIT, {"from": holders[7]})
    ve.setTrustedLockCreator(d, True, {"from": deployer})
    return d


def test_the_bonus_is_capped_by_the_reserve_then_exhausted(small_reserve, drop, ve, users):
    d = small_reserve
    u, v = users[2], users[0]
    t = now() + 10
    unlock = t + MAX_LOCK
    full = raw_bonus(ALLOCATIONS[2], week_start(unlock) - t, BONUS_BPS)
    assert full > 100 * UNIT
    assert d.previewBonus(u.address, ALLOCATIONS[2], unlock) == 100 * UNIT
    next_block_at(t)
    tx = d.claimAndLock(ALLOCATIONS[2], drop.proof(u), unlock, {"from": u.account})
    assert tx.return_value == capped_bonus(ALLOCATIONS[2], week_start(unlock) - t, BONUS_BPS, 100 * UNIT) == 100 * UNIT
    assert ve.locked(u.address)[0] == ALLOCATIONS[2] + 100 * UNIT
    assert d.bonusReserve() == 0
    # the reserve is exhausted: the next claim into a lock gets no bonus and still goes through
    assert d.previewBonus(v.address, ALLOCATIONS[0], now() + MAX_LOCK) == 0
    tx = d.claimAndLock(ALLOCATIONS[0], drop.proof(v), now() + MAX_LOCK, {"from": v.account})
    assert tx.return_value == 0 and tx.events["ClaimedAndLocked"]["bonus"] == 0
    assert ve.locked(v.address)[0] == ALLOCATIONS[0]


def test_every_allocation_stays_payable_after_bonuses(small_reserve, drop, token, total, users):
    d = small_reserve
    for u in users[:4]:
        d.claimAndLock(drop.amount(u), drop.proof(u), now() + MAX_LOCK, {"from": u.account})
        assert balance(token, d) >= d.airdropTotal() - d.claimedTotal()
    assert balance(token, d) == total - d.claimedTotal()  # exactly the unclaimed allocations are left


# ---- by signature ------------------------------------------------------------------------------------


def test_claim_and_lock_digest_is_the_eip712_digest(airdrop, users):
    u = users[0]
    signable = typed_message(
        domain(DOMAIN_NAME, DOMAIN_VERSION, chain.id, airdrop.address),
        CLAIM_AND_LOCK_TYPES, claim_and_lock_message(u.address, 5, 6, 7),
    )
    assert airdrop.claimAndLockDigest(u.address, 5, 6, 7) == "0x" + digest(signable).hex()


def test_claim_and_lock_by_sig_from_an_eoa_submitted_by_a_relayer(airdrop, drop, ve, token, users):
    u, relayer = users[2], users[3]
    amount = ALLOCATIONS[2]
    t = now() + 20
    unlock, sig_deadline, signature = drop.sign(u, unlock_time=t + 100 * DAY)
    relayer_balance = balance(token, relayer)
    next_block_at(t)
    tx = airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, signature, {"from": relayer.account})
    end = week_start(unlock)
    expected = raw_bonus(amount, end - t, BONUS_BPS)
    assert tx.return_value == expected
    ev = tx.events["ClaimedAndLocked"]
    assert (ev["account"], ev["amount"], ev["bonus"], ev["lockEnd"]) == (u.address, amount, expected, end)
    assert ve.locked(u.address) == (amount + expected, end, False)
    assert ve.locked(relayer.address)[0] == 0 and balance(token, relayer) == relayer_balance


def test_claim_and_lock_by_sig_from_an_erc1271_wallet(airdrop, drop, ve, wallet, users):
    owner = users[0]
    unlock, sig_deadline, signature = drop.sign(owner, account=wallet.address)
    tx = airdrop.claimAndLockBySig(*drop.leaf(wallet), unlock, sig_deadline, signature, {"from": users[1].account})
    assert ve.locked(wallet.address)[0] == WALLET_ALLOCATION + tx.return_value
    assert airdrop.claimed(wallet.address)


def test_a_wallet_signature_by_another_key_is_refused(airdrop, drop, wallet, users):
    unlock, sig_deadline, signature = drop.sign(users[1], account=wallet.address)
    with reverts("InvalidSignature"):
        airdrop.claimAndLockBySig(*drop.leaf(wallet), unlock, sig_deadline, signature, {"from": users[1].account})


def test_a_wrong_signer_or_message_is_refused(airdrop, drop, users):
    u, other = users[2], users[3]
    unlock, sig_deadline, by_other = drop.sign(other, account=u.address)
    with reverts("InvalidSignature"):
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, by_other, {"from": other.account})
    unlock, sig_deadline, signature = drop.sign(u)
    with reverts("InvalidSignature"):  # another unlock time than signed
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock - WEEK, sig_deadline, signature, {"from": other.account})
    with reverts("InvalidSignature"):  # another deadline than signed
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline + 1, signature, {"from": other.account})
    with reverts("InvalidSignature"):  # not a signature at all
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, b"\x01" * 10, {"from": other.account})
    # a signature over another amount cannot claim: the proof must match the signed amount's leaf
    unlock, sig_deadline, signature = drop.sign(u, amount=ALLOCATIONS[2] + 1)
    with reverts("InvalidProof"):
        airdrop.claimAndLockBySig(u.address, ALLOCATIONS[2] + 1, drop.proof(u), unlock, sig_deadline, signature, {"from": other.account})
    assert not airdrop.claimed(u.address)


def test_an_expired_signature_is_refused(airdrop, drop, users):
    u = users[2]
    t = now() + 30
    unlock, sig_deadline, signature = drop.sign(u, deadline=t)
    next_block_at(t + 1)
    with reverts("SignatureExpired", t):
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, signature, {"from": users[3].account})


def test_a_signature_is_accepted_at_its_deadline_and_never_replays(airdrop, drop, users):
    u = users[2]
    t = now() + 30
    unlock, sig_deadline, signature = drop.sign(u, deadline=t)
    next_block_at(t)
    airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, signature, {"from": users[3].account})
    with reverts("AlreadyClaimed", u.address):
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, signature, {"from": users[3].account})


def test_a_signed_claim_into_an_expired_lock_reverts(airdrop, drop, ve, users):
    u = users[1]
    drop.lock(u, 1_000 * UNIT, weeks=1)
    _, end, _ = ve.locked(u.address)
    mine_at(end + 5)
    unlock, sig_deadline, signature = drop.sign(u)
    with reverts("LockExpired", u.address, end):
        airdrop.claimAndLockBySig(*drop.leaf(u), unlock, sig_deadline, signature, {"from": users[3].account})


def test_a_tree_of_one_leaf_has_an_empty_proof(CommunityAirdrop, ve, token, deadline, treasury, holders, deployer, users):
    u = users[0]
    one = StandardMerkleTree.of([(u.address, str(3 * UNIT))], AIRDROP_LEAF_ENCODING)
    d = CommunityAirdrop.deploy(ve, one.root, 3 * UNIT, deadline, BONUS_BPS, treasury, {"from": deployer})
    token.transfer(d, 3 * UNIT, {"from": holders[0]})
    assert one.proof(0) == []
    d.claim(u.address, 3 * UNIT, [], {"from": u.account})
    assert token.balanceOf(d) == 0 and d.claimedTotal() == 3 * UNIT
