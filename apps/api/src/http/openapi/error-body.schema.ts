import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';

/** {@link FieldProblem} as the OpenAPI document shows it. */
@ApiSchema({
  name: 'FieldProblem',
  description: 'One bad field of a refused request; its value is never echoed.',
})
export class FieldProblemSchema {
  @ApiProperty({
    example: 'phones[1]',
    description: 'Where the field is: `name`, `address.city`, `phones[1]`.',
  })
  field!: string;

  @ApiProperty({ example: 'each phone must be an E.164 number' })
  message!: string;
}

/** {@link ErrorBody} as the OpenAPI document shows it. */
@ApiSchema({ name: 'ErrorBody', description: 'The body of every answer that is not a success.' })
export class ErrorBodySchema {
  @ApiProperty({ example: 422 })
  statusCode!: number;

  @ApiProperty({
    example: 'OWNER_NOT_EDITABLE',
    description:
      '400 VALIDATION_FAILED, 401 UNAUTHENTICATED, 403 FORBIDDEN, 404 NOT_FOUND, 409 CONCURRENCY_CONFLICT, ' +
      '413 PAYLOAD_TOO_LARGE, 415 UNSUPPORTED_MEDIA_TYPE, 422 the refused rule, 429 TOO_MANY_REQUESTS, ' +
      '500 INTERNAL, 503 DEPENDENCY_UNAVAILABLE.',
  })
  code!: string;

  @ApiProperty({ example: "The owner's permissions cannot be changed." })
  message!: string;

  @ApiPropertyOptional({
    description: 'For 400 VALIDATION_FAILED, one FieldProblem per bad field; for a 422, what the rule saw.',
    oneOf: [{ type: 'array', items: { $ref: '#/components/schemas/FieldProblem' } }, { type: 'object' }],
  })
  details?: unknown;
}
