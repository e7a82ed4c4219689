// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/// @title ServiceToken
/// @notice Fixed-supply utility token that pays for the platform's AI services (SPEC 2.1).
/// @dev The whole supply is minted once, in the constructor, to the deploy config's allocations.
/// There is no mint function, no owner and no pause; supply only ever falls, through burns.
contract ServiceToken is ERC20, ERC20Permit, ERC20Burnable {
    /// @notice `recipients` and `amounts` have different lengths.
    error AllocationLengthMismatch(uint256 recipients, uint256 amounts);
    /// @notice No allocation was given: a token with no supply is a deployment mistake.
    error NoAllocations();
    /// @notice Allocation `index` has amount zero: a deployment mistake, not a holder.
    error ZeroAllocation(uint256 index);

    /// @notice Emitted once per allocation minted at deployment.
    event Allocated(address indexed recipient, uint256 amount);

    /// @param name_ ERC-20 name (also the EIP-712 domain name used by `permit`).
    /// @param symbol_ ERC-20 symbol.
    /// @param recipients Allocation recipients, in config order.
    /// @param amounts Amount minted to each recipient (18 decimals).
    constructor(string memory name_, string memory symbol_, address[] memory recipients, uint256[] memory amounts)
        ERC20(name_, symbol_)
        ERC20Permit(name_)
    {
        uint256 count = recipients.length;
        if (count != amounts.length) revert AllocationLengthMismatch(count, amounts.length);
        if (count == 0) revert NoAllocations();
        for (uint256 i = 0; i < count; ++i) {
            if (amounts[i] == 0) revert ZeroAllocation(i);
            _mint(recipients[i], amounts[i]);
            emit Allocated(recipients[i], amounts[i]);
        }
    }
}
